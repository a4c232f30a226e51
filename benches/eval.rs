//! Evaluator and graph-free query throughput: a 100,000-term `+` chain, the data-driven
//! expression corpus of `tests/data/eval/`, and `UNWIND range(1, 100000) ... count(*)`
//! grouped through the embedded cluster.
//!
//! Run: `cargo bench --bench eval`. Figures go in BENCHMARKS.md.

// A benchmark may unwrap and expect: a panic is how it fails. Cargo.toml denies both
// in the product.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cysh::cluster::{Cluster, Config, Session};
use cysh::dialect::Params;
use cysh::dialect::eval::{Ctx, NoRow, eval};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// One expression of 100,000 terms, parsed once, evaluated per iteration.
#[divan::bench]
fn long_chain(bencher: Bencher) {
    let expr = cysh::dialect::parse_expression(&vec!["1"; 100_000].join(" + ")).unwrap();
    let params = Params::new();
    bencher.counter(ItemsCount::new(100_000usize)).bench(|| {
        let mut ctx = Ctx::new(&params, &NoRow, jiff::Timestamp::UNIX_EPOCH);
        black_box(eval(&expr, &mut ctx).unwrap());
    });
}

/// Every expression of the data-driven corpus (values and errors), parsed once.
#[divan::bench]
fn expression_corpus(bencher: Bencher) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/eval");
    let mut exprs = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let e = line
                .split(" => ")
                .next()
                .unwrap()
                .split(" !! ")
                .next()
                .unwrap();
            if let Ok(parsed) = cysh::dialect::parse_expression(e) {
                exprs.push(parsed);
            }
        }
    }
    let params = Params::new();
    bencher.counter(ItemsCount::new(exprs.len())).bench(|| {
        for e in &exprs {
            let mut ctx = Ctx::new(&params, &NoRow, jiff::Timestamp::UNIX_EPOCH);
            let _ = black_box(eval(e, &mut ctx));
        }
    });
}

/// 100,000 rows grouped into 10 through the embedded cluster, statement parsed once.
#[divan::bench(sample_count = 10)]
fn unwind_group_count(bencher: Bencher) {
    let text = "UNWIND range(1, 100000) AS x RETURN x % 10 AS k, count(*) AS n, sum(x) ORDER BY k";
    let statement = cysh::dialect::parse(text).unwrap();
    let mut cluster = Cluster::new(Config::with_servers(3)).unwrap();
    let (params, session) = (Params::new(), Session::default());
    bencher
        .counter(ItemsCount::new(100_000usize))
        .bench_local(|| {
            black_box(
                cluster
                    .execute_text(&statement, text, &params, &session)
                    .unwrap(),
            );
        });
}
