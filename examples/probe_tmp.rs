#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let stmt = std::fs::read_to_string(&args[1]).unwrap();
    let n: usize = args[2].parse().unwrap();
    for _ in 0..n {
        let r = cysh::dialect::grammar::parse(std::hint::black_box(&stmt), false);
        std::hint::black_box(&r);
    }
}
