"""Bolt interop round trip with the official Python driver (tests/it/bolt_drivers.rs).

Usage: roundtrip.py URL USER PASSWORD NEWDB
Connects (auth), creates NEWDB, runs an explicit transaction that is rolled back and one
that is committed, reads an EXPLAIN and a PROFILE plan, lists databases and servers, and tries a wrong password. Prints one JSON
object per step: {"step": ..., "rows": [...]} or {"step": ..., "error": code}.
"""
import json
import sys

import neo4j
from neo4j import GraphDatabase

url, user, password, newdb = sys.argv[1:5]


def out(step, **kw):
    print(json.dumps({"step": step, **kw}, sort_keys=True), flush=True)


def rows(result):
    return [dict(r) for r in result]


with GraphDatabase.driver(url, auth=(user, password)) as driver:
    driver.verify_connectivity()
    out("connected", agent=neo4j.__version__)
    driver.execute_query(f"CREATE DATABASE {newdb}", database_="system")
    with driver.session(database="system") as session:
        tx = session.begin_transaction()
        tx.run(f"CREATE DATABASE {newdb}rolledback").consume()
        seen = rows(tx.run(f"SHOW DATABASE {newdb}rolledback YIELD name"))
        tx.rollback()
        after = session.run(f"SHOW DATABASE {newdb}rolledback YIELD name").data()
        out("rollback", rows=seen, after=after)
        with session.begin_transaction() as tx:
            tx.run(f"CREATE DATABASE {newdb}committed").consume()
            tx.commit()
        after = session.run(f"SHOW DATABASE {newdb}committed YIELD name").data()
        out("commit", after=after)
    # EXPLAIN and PROFILE: the plan in the summary (EXPLAIN changes nothing).
    _, summary, _ = driver.execute_query(
        f"EXPLAIN CREATE DATABASE {newdb}explained", database_="system"
    )
    out("explain", plan=summary.plan, profile=summary.profile)
    records, summary, _ = driver.execute_query(
        "PROFILE SHOW DATABASES YIELD name", database_="system"
    )
    out("profile", plan=summary.plan, profile=summary.profile, count=len(records))
    # Listed last, so the shell run after the script sees the same state.
    records, _, _ = driver.execute_query(
        "SHOW DATABASES YIELD name, currentStatus, requestedStatus, home, default",
        database_="system",
    )
    out("databases", rows=[dict(r) for r in records])
    records, _, _ = driver.execute_query(
        "SHOW SERVERS YIELD name, address, state, health, hosting", database_="system"
    )
    out("servers", rows=[dict(r) for r in records])
    try:
        driver.execute_query("SHOW DATABSES", database_="system")
        out("syntax", error=None)
    except neo4j.exceptions.Neo4jError as e:
        out("syntax", error=e.code)

try:
    with GraphDatabase.driver(url, auth=(user, password + "-wrong")) as driver:
        driver.verify_connectivity()
    out("wrong-password", error=None)
except neo4j.exceptions.Neo4jError as e:
    out("wrong-password", error=e.code)
