#!/usr/bin/env python3
"""Label a corpus of statements with Neo4j's verdicts, positions and messages.

Reads a corpus, one {"stmt": ...} per line (../shared/conformance/cypher-tck.jsonl: every
openCypher TCK query and a mutant of each; or tests/tools/admin-corpus.py's output: the
admin statements of tests/data/parse and their mutants), asks the oracle (Neo4j's own
front end, npm package @neo4j-cypher/language-support) for every diagnostic with its
offset, and writes one row per statement:

    {"stmt": ..., "expect": "ok" | "syntax" | "semantic", "at": OFFSET, "message": FIRST LINE}

`at` is in UTF-16 units, as Neo4j counts. For `syntax` rows they are the parser's error;
for `semantic` rows the first semantic error (for the semantic checks); `ok` rows have
null. Where the oracle is known to differ from Neo4j's server, the row says so in `note`
and leaves out what is not known:

  - after a whole statement, the oracle says "Expected ';'" where Neo4j says
    "Invalid input 'X': expected ..." with what may follow; the row keeps the offset.
  - when the first token cannot start a statement, the oracle recovers, skips tokens and
    reports a later error, or only says that no statement starts there; Neo4j stops at
    the first token. Such rows keep `at: 0` and a null message.

Usage:
    tests/tools/conformance-label.py ORACLE_DIR [CORPUS] > tests/data/conformance/tck.jsonl
    tests/tools/admin-corpus.py > /tmp/admin-corpus.jsonl
    tests/tools/conformance-label.py ORACLE_DIR /tmp/admin-corpus.jsonl \
        > tests/data/conformance/admin.jsonl
    tests/tools/conformance-label.py --labelled FILE > tests/data/conformance/tck.jsonl
    tests/tools/conformance-label.py --cypher 25 ORACLE_DIR > tests/data/conformance/tck25.jsonl

CORPUS defaults to ../shared/conformance/cypher-tck.jsonl. Rows that carry Neo4j's verdict
(`expect`, `kind`, as the TCK corpus does) keep it; rows without are judged by the
oracle's diagnostics alone.

ORACLE_DIR is a copy of ../shared/tools/oracle where `npm ci` has been run; this script
copies tests/tools/oracle-pos.mjs into it. --labelled reads the oracle's output from an
earlier run (rows of the corpus with an added `errors` list) instead of running it.
--cypher 25 asks the oracle for Cypher 25's verdicts (oracle-pos.mjs's first argument) and
ignores the corpus's own verdicts, which are Cypher 5's (tck25.jsonl, admin25.jsonl).
"""
import json, os, shutil, subprocess, sys

SYNTAX = ("Invalid input", "Failed to parse", "Expected '")
RECOVERED = "Expected any of CYPHER, EXPLAIN, PROFILE or a statement"
HERE = os.path.dirname(os.path.abspath(__file__))


def run_oracle(oracle, corpus, version):
    shutil.copy(os.path.join(HERE, "oracle-pos.mjs"), os.path.join(oracle, "pos.mjs"))
    rows = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
    if version == "25":
        # The corpus's verdicts are Cypher 5's: Cypher 25's come from the oracle alone.
        rows = [{"stmt": r["stmt"]} for r in rows]
    inp = "".join(json.dumps({"stmt": r["stmt"]}) + "\n" for r in rows)
    out = subprocess.run(["node", "pos.mjs", version], cwd=oracle, input=inp,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    for r, o in zip(rows, out):
        r["errors"] = json.loads(o)["errors"]
    return rows


def label(row):
    errors = row.get("errors") or []
    syntax = [e for e in errors if e["message"].startswith(SYNTAX)]
    out = {"stmt": row["stmt"], "expect": "ok", "at": None, "message": None}
    recovered_only = bool(errors) and all(e["message"] == RECOVERED for e in errors)
    if syntax or row.get("kind") == "syntax" or recovered_only:
        out["expect"] = "syntax"
        first = (syntax or [e for e in errors if e["message"] != RECOVERED] or errors or [None])[0]
        recovered = any(e["message"] == RECOVERED and e["offsets"]["start"] == 0 for e in errors)
        if first is not None and first["message"] == "Expected ';'":
            # The oracle's wording after a whole statement; Neo4j's server says which
            # token was not expected and lists what could follow.
            out["at"] = first["offsets"]["start"]
            out["note"] = "the oracle says Expected ';' where Neo4j lists what may follow"
        elif recovered_only:
            out["at"] = 0
            out["note"] = "the oracle names no token, only that no statement starts here"
        elif first is None:
            out["note"] = "the oracle gives no position"
        elif recovered and first["offsets"]["start"] > 0:
            out["at"] = 0
            out["note"] = "the oracle recovered past the first token"
        else:
            out["at"] = first["offsets"]["start"]
            out["message"] = first["message"].split("\n")[0]
    elif row.get("expect") == "error" or (
            "expect" not in row and any(e["message"] != RECOVERED for e in errors)):
        out["expect"] = "semantic"
        sem = [e for e in errors if e["message"] != RECOVERED]
        if sem:
            out["at"] = sem[0]["offsets"]["start"]
            out["message"] = sem[0]["message"].split("\n")[0]
        else:
            out["message"] = row.get("message")
    return out


def main():
    args = sys.argv[1:]
    version = "5"
    if args[:1] == ["--cypher"]:
        version, args = args[1], args[2:]
    if args[:1] == ["--labelled"]:
        rows = [json.loads(l) for l in open(args[1], encoding="utf-8") if l.strip()]
    else:
        corpus = args[1] if len(args) > 1 else os.path.join(
            HERE, "..", "..", "..", "shared", "conformance", "cypher-tck.jsonl")
        rows = run_oracle(args[0], corpus, version)
    for r in rows:
        sys.stdout.write(json.dumps(label(r), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
