//! Parse throughput over a mixed corpus of admin statements: every accepted case of
//! `tests/data/parse/` (seeds and grammar cases), parsed one statement at a time.
//!
//! Run: `cargo bench --bench parse`. Figures go in BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

/// The whole corpus per iteration; divan reports statements/s and bytes/s.
#[divan::bench]
fn admin_corpus(bencher: Bencher) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    bencher
        .counter(ItemsCount::new(corpus.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for s in &corpus {
                let _ = black_box(cysh::dialect::parse(black_box(s)));
            }
        });
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

/// A statement with a syntax error: the error path parses twice.
#[divan::bench]
fn syntax_error(bencher: Bencher) {
    let s = "CREATE DATABASE foo-restored TOPOLOGY 3 PRIMARIES";
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| cysh::dialect::parse(black_box(s)));
}
