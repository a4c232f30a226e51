#!/usr/bin/env python3
"""Label statements with Neo4j's semantic verdicts, in the format of tests/data/semantic/*.txt.

Reads statements, one per line (`\\n` for a line break inside one), asks the oracle (Neo4j's
own front end, npm package @neo4j-cypher/language-support, Cypher 5) for every diagnostic,
and prints `offset<TAB>message<TAB>statement` with Neo4j's first error by offset, or
`ok<TAB>statement`. Statements Neo4j refuses with a syntax error are reported on stderr and
left out: the semantic cases are for statements that parse.

Usage: tests/tools/semantic-label.py ORACLE_DIR < statements.txt >> tests/data/semantic/cases.txt

ORACLE_DIR is a copy of ../shared/tools/oracle where `npm ci` has been run; this script
copies tests/tools/oracle-pos.mjs into it as pos.mjs. Review the labels before committing.
"""
import json, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYNTAX = ("Invalid input", "Failed to parse", "Expected ")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    oracle = sys.argv[1]
    shutil.copy(os.path.join(HERE, "oracle-pos.mjs"), os.path.join(oracle, "pos.mjs"))
    lines = [l.rstrip("\n") for l in sys.stdin if l.strip()]
    stmts = [l.replace("\\n", "\n") for l in lines]
    inp = "".join(json.dumps({"stmt": s}) + "\n" for s in stmts)
    out = subprocess.run(["node", "pos.mjs", "5"], cwd=oracle, input=inp, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    for line, o in zip(lines, out):
        errors = json.loads(o)["errors"]
        if not errors:
            print(f"ok\t{line}")
            continue
        first = min(errors, key=lambda e: e["offsets"]["start"])
        message = first["message"].splitlines()[0]
        if message.startswith(SYNTAX):
            print(f"syntax error, left out: {line}: {message}", file=sys.stderr)
            continue
        print(f"{first['offsets']['start']}\t{message}\t{line}")


if __name__ == "__main__":
    main()
