#!/usr/bin/env python3
"""The admin conformance corpus: the accepted statements of tests/data/parse and their
mutants, for the oracle to label (see conformance-label.py).

For every statement of tests/data/parse/*accept*.txt it writes the statement itself, every
prefix of it that ends at a token (where Neo4j must say what may come next), and five
token-level mutants: a deleted token, two adjacent tokens swapped, a keyword duplicated, a
keyword misspelt and a stray comma. The choice is seeded by the statement, so the corpus is
the same on every run. Output: one {"stmt": ...} per line, no duplicates.

Usage: tests/tools/admin-corpus.py > /tmp/admin-corpus.jsonl
"""
import glob, json, os, random, re, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "parse")
TOKEN = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|\$\w+|\d+(?:\.\d+)?|\w+|<>|<=|>=|=~|\.\.|\S""")
WORD = re.compile(r"[A-Za-z_]\w*$")


def statements():
    for path in sorted(glob.glob(os.path.join(DATA, "*accept*.txt"))):
        text = "\n".join(l for l in open(path, encoding="utf-8").read().split("\n")
                         if not l.strip().startswith("//"))
        for s in text.split(";"):
            s = s.strip()
            if s:
                yield s


def mutants(s):
    toks = [(m.start(), m.end()) for m in TOKEN.finditer(s)]
    out = [s[:end] for _, end in toks[:-1]]
    rng = random.Random(zlib.crc32(s.encode()))
    words = [i for i, (a, b) in enumerate(toks) if WORD.match(s[a:b]) and s[a:b].isupper()]
    if len(toks) > 1:
        a, b = toks[rng.randrange(len(toks))]
        out.append((s[:a] + s[b:]).strip())
        i = rng.randrange(len(toks) - 1)
        (a1, b1), (a2, b2) = toks[i], toks[i + 1]
        out.append(s[:a1] + s[a2:b2] + s[b1:a2] + s[a1:b1] + s[b2:])
    if words:
        a, b = toks[rng.choice(words)]
        out.append(s[:b] + " " + s[a:b] + s[b:])
        a, b = toks[rng.choice(words)]
        w = s[a:b]
        if len(w) > 2:
            k = rng.randrange(len(w) - 1)
            out.append(s[:a] + w[:k] + w[k + 1] + w[k] + w[k + 2:] + s[b:])
    if toks:
        a, _ = toks[rng.randrange(len(toks))]
        out.append(s[:a] + ", " + s[a:])
    return out


def main():
    seen = set()
    for s in statements():
        for m in [s] + mutants(s):
            if m and m not in seen:
                seen.add(m)
                print(json.dumps({"stmt": m}, ensure_ascii=False))


if __name__ == "__main__":
    main()
