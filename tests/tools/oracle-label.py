#!/usr/bin/env python3
"""Relabel parser reject cases with Neo4j's own front end.

Reads case files in the `tests/data/parse/*reject*.txt` format (a statement, then a line
`=> message (line L, column C (offset: O))`), asks the oracle in ../shared/tools/oracle
(npm package @neo4j-cypher/language-support: Neo4j's parser and semantic analysis) for
each statement, and rewrites the expected lines with Neo4j's first error. Statements Neo4j
accepts are reported on stderr and left unchanged.

Usage: tests/tools/oracle-label.py ORACLE_DIR FILE...
ORACLE_DIR is a copy of ../shared/tools/oracle where `npm ci` has been run; this script
copies tests/tools/oracle-pos.mjs (the oracle with positions: every error diagnostic with
its message and offsets, one JSON line per statement) into it as pos.mjs. The labels are
facts about Neo4j; review the diff before committing.
"""
import json, os, shutil, subprocess, sys

SYNTAX = ("Invalid input", "Failed to parse", "Expected '")


def cases(lines):
    stmt = []
    for n, line in enumerate(lines):
        if line.startswith("=> "):
            yield n, "\n".join(stmt).rstrip().rstrip(";")
            stmt = []
        elif not line.strip() or (not stmt and line.startswith("#")):
            stmt = []
        else:
            stmt.append(line)


def position(stmt, offset):
    """Line and column of a UTF-16 offset, 1-based, as Neo4j counts."""
    units, line, col = 0, 1, 1
    for c in stmt:
        if units >= offset:
            break
        w = 2 if ord(c) > 0xFFFF else 1
        units += w
        if c == "\n":
            line, col = line + 1, 1
        else:
            col += w
    return line, col


def choose(errors):
    syntax = [e for e in errors if e["message"].startswith(SYNTAX)]
    pick = syntax or [e for e in errors if not e["message"].startswith("Expected any of")] or errors
    return pick[0] if pick else None


def main():
    oracle, files = sys.argv[1], sys.argv[2:]
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "oracle-pos.mjs"), os.path.join(oracle, "pos.mjs"))
    for path in files:
        lines = open(path, encoding="utf-8").read().split("\n")
        todo = list(cases(lines))
        inp = "".join(json.dumps({"stmt": s}) + "\n" for _, s in todo)
        out = subprocess.run(["node", "pos.mjs"], cwd=oracle, input=inp, capture_output=True,
                             text=True, check=True).stdout.splitlines()
        for (n, stmt), row in zip(todo, out):
            e = choose(json.loads(row)["errors"])
            if e is None:
                print(f"{path}:{n+1}: Neo4j accepts: {stmt!r}", file=sys.stderr)
                continue
            msg = e["message"].split("\n")[0]
            off = e["offsets"]["start"]
            line, col = position(stmt, off)
            lines[n] = f"=> {msg} (line {line}, column {col} (offset: {off}))"
        open(path, "w", encoding="utf-8").write("\n".join(lines))


if __name__ == "__main__":
    main()
