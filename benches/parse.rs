//! Parse throughput: the admin corpus (every accepted case of `tests/data/parse/`, seeds
//! and grammar cases), the openCypher TCK's valid queries and its syntax-error rows
//! (`tests/data/conformance/tck.jsonl`), each parsed one statement at a time with
//! `dialect::parse` (parser and semantic checks), and the success and error paths of one
//! statement side by side, and two statements with many names (whose checks must grow
//! linearly with them).
//!
//! Run: `cargo bench --bench parse`. Figures go in BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// The binary's allocator (src/main.rs), so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use cysh::dialect::split::{PieceKind, split};
use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

fn corpus() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/parse");
    let mut out = Vec::new();
    for name in ["seeds-accept.txt", "grammar-accept.txt"] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("corpus file");
        out.extend(
            split(&text)
                .into_iter()
                .filter(|p| p.kind == PieceKind::Cypher)
                .map(|p| p.text),
        );
    }
    out
}

/// Parses every statement of `corpus` per iteration; divan reports statements/s and bytes/s.
fn parse_all(bencher: Bencher, corpus: Vec<String>) {
    parse_all_with(bencher, corpus, |s| {
        let _ = black_box(cysh::dialect::parse(s));
    });
}

/// [`parse_all`] with `parse` for `dialect::parse`.
fn parse_all_with(bencher: Bencher, corpus: Vec<String>, parse: impl Fn(&str) + Sync) {
    let bytes: usize = corpus.iter().map(String::len).sum();
    bencher
        .counter(ItemsCount::new(corpus.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for s in &corpus {
                parse(black_box(s));
            }
        });
}

/// The whole corpus per iteration.
#[divan::bench]
fn admin_corpus(bencher: Bencher) {
    parse_all(bencher, corpus());
}

/// The seed's parameterised CREATE DATABASE alone.
#[divan::bench]
fn create_database(bencher: Bencher) {
    let s = "CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES";
    bencher
        .counter(ItemsCount::new(1usize))
        .counter(BytesCount::new(s.len()))
        .bench(|| cysh::dialect::parse(black_box(s)));
}

/// The statement of `syntax_error` without its error: the success path to compare with.
#[divan::bench]
fn success_path(bencher: Bencher) {
    let s = "CREATE DATABASE foorestored TOPOLOGY 3 PRIMARIES";
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| cysh::dialect::parse(black_box(s)));
}

/// A statement with a syntax error at the same place: the error path (one pass; the
/// message comes from the expected set kept at the furthest position).
#[divan::bench]
fn syntax_error(bencher: Bencher) {
    let s = "CREATE DATABASE foo-restored TOPOLOGY 3 PRIMARIES";
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| cysh::dialect::parse(black_box(s)));
}

/// The rows of the TCK corpus Neo4j labels `expect` (ok or syntax).
fn tck(expect: &str) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/conformance/tck.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("tck corpus");
    text.lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            (v["expect"] == expect).then(|| v["stmt"].as_str().map(str::to_string))?
        })
        .collect()
}

/// Every valid query of the TCK per iteration: general Cypher, parsed and checked.
#[divan::bench]
fn tck_valid(bencher: Bencher) {
    parse_all(bencher, tck("ok"));
}

/// The same queries through the parser alone (`grammar::parse`: no semantic checks), to
/// tell the parser's share from the checks'.
#[divan::bench]
fn tck_valid_parser_only(bencher: Bencher) {
    parse_all_with(bencher, tck("ok"), |s| {
        let _ = black_box(cysh::dialect::grammar::parse(s, false));
    });
}

/// Every syntax-error row of the TCK per iteration: the error path over general Cypher.
#[divan::bench]
fn tck_syntax_errors(bencher: Bencher) {
    parse_all(bencher, tck("syntax"));
}

/// `WITH 0 AS a0, ... RETURN a0 AS c0, ...` with `n` names: one statement, `n` items. The
/// per-item time at two sizes says whether checking grows with the names linearly (it was
/// quadratic: a scan of the scope and of the columns per item).
#[divan::bench(args = [500, 2000])]
fn wide_return(bencher: Bencher, n: usize) {
    let with: Vec<String> = (0..n).map(|i| format!("{i} AS a{i}")).collect();
    let ret: Vec<String> = (0..n).map(|i| format!("a{i} AS c{i}")).collect();
    let s = format!("WITH {} RETURN {}", with.join(", "), ret.join(", "));
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| cysh::dialect::parse(black_box(&s)));
}

/// `MATCH (a0) MATCH (a1) ... RETURN 1`: `n` clauses, each adding a variable (each
/// clause copied the whole scope before).
#[divan::bench(args = [500, 2000])]
fn many_match_clauses(bencher: Bencher, n: usize) {
    let matches: Vec<String> = (0..n).map(|i| format!("MATCH (a{i})")).collect();
    let s = format!("{} RETURN 1", matches.join(" "));
    bencher
        .counter(ItemsCount::new(n))
        .bench(|| cysh::dialect::parse(black_box(&s)));
}
