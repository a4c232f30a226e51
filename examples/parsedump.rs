//! Regression tool for the parser: dumps what `dialect::parse_as` and
//! `dialect::expected_at_as` say about every corpus statement, so that a dump taken before
//! a change to the lexer, grammar, tree or semantic checks can be compared byte for byte
//! with one taken after it. It is a tool, not a test: nothing here asserts.
//!
//! The statements: every `stmt` of `tests/data/conformance/{tck,tck25,admin,admin25,
//! tck-semantic}.jsonl` and every Cypher piece of `tests/data/parse/*`, each in Cypher 5
//! and Cypher 25. For each it prints the `Debug` form of the parse result (the tree with
//! its spans, or the error with its message and position). With the argument `prefixes`
//! it also prints the error and the expected set of every prefix cut before a space, `(`
//! or `,`; with `all`, additionally one hash per statement over the error and expected
//! set of every char-boundary prefix.
//!
//! Use (the full dump is about 400 MB):
//!
//! ```text
//! cargo build --profile bench --example parsedump
//! target/release/examples/parsedump all > /tmp/before.dump   # on the unchanged code
//! # ... change the parser, rebuild, then:
//! target/release/examples/parsedump all > /tmp/after.dump && cmp /tmp/before.dump /tmp/after.dump
//! ```
//!
//! The success case prints the tree's `Debug` form: a change of the tree's representation
//! must keep that form (or change this tool to print a rendering independent of it)
//! for the dumps to stay comparable.

// A tool may unwrap: a panic is how it fails. Cargo.toml denies both in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cysh::dialect::split::{PieceKind, split};
use cysh::dialect::version::CypherVersion;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut stmts: Vec<String> = Vec::new();
    for f in ["tck", "tck25", "admin", "admin25", "tck-semantic"] {
        let text =
            std::fs::read_to_string(format!("{root}/tests/data/conformance/{f}.jsonl")).unwrap();
        for l in text.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            stmts.push(v["stmt"].as_str().unwrap().to_string());
        }
    }
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/parse"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // read_dir's order is the file system's: sort so two dumps list files alike.
    files.sort();
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        stmts.extend(
            split(&text)
                .into_iter()
                .filter(|p| p.kind == PieceKind::Cypher)
                .map(|p| p.text),
        );
    }
    let mode = std::env::args().nth(1).unwrap_or_default();
    let prefixes = mode == "prefixes" || mode == "all";
    let all = mode == "all";
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for s in &stmts {
        for v in [CypherVersion::Cypher5, CypherVersion::Cypher25] {
            writeln!(out, "== {s:?} {v:?}\n{:?}", cysh::dialect::parse_as(s, v)).unwrap();
            if prefixes {
                for (i, c) in s.char_indices() {
                    if c == ' ' || c == '(' || c == ',' {
                        let pre = &s[..i];
                        writeln!(out, "-- {:?}", cysh::dialect::parse_as(pre, v).err()).unwrap();
                        writeln!(out, "-> {:?}", cysh::dialect::expected_at_as(pre, v)).unwrap();
                    }
                }
            }
            if all {
                // DefaultHasher::new() has fixed keys: the same input hashes alike in
                // every run and build.
                let mut h = DefaultHasher::new();
                for i in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                    let pre = &s[..i];
                    format!("{:?}", cysh::dialect::parse_as(pre, v).err()).hash(&mut h);
                    format!("{:?}", cysh::dialect::expected_at_as(pre, v)).hash(&mut h);
                }
                writeln!(out, "## {:016x}", h.finish()).unwrap();
            }
        }
    }
}
