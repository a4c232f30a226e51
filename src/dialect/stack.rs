//! Deep recursion without stack overflow: the walks over a statement (the parser, the
//! semantic checks, the tree visitors, evaluation) go one level down per bracket,
//! operator or subquery, and a statement may nest up to `grammar::parser::MAX_DEPTH`
//! levels. Threads have small stacks (a server's workers 2 MiB; a debug build's frames are
//! several times a release build's), so a walk moves onto a new stack segment on the heap
//! when the current one runs low.
//!
//! It owns how a walk knows it is low. The thread keeps the lowest address its stack may
//! reach on the current segment before only the red zone is left (its *floor*); every
//! level compares where the stack is with it (a few instructions) and only below it asks
//! `stacker`, which measures and grows a new segment if need be. Asking `stacker` at every
//! level was ~2% of parsing a query. The floor is the thread's, not a walk's, so that a
//! walk running on a segment another walk grew never compares against a floor measured on
//! a different segment: every move to a new segment goes through [`descend`], which sets
//! the floor for it and puts the old one back after. It must not know what is walked.

use std::cell::Cell;

/// How much stack a walk keeps free: below this, the next level runs on a new segment.
pub const RED_ZONE: usize = 128 * 1024;
/// The size of each new stack segment.
const GROWTH: usize = 2 * 1024 * 1024;

thread_local! {
    /// The floor of the segment the thread runs on; 0 until measured (the first
    /// [`descend`] on the thread measures it; where the stack's limit is unknown it stays
    /// 0 and every level asks `stacker`).
    static FLOOR: Cell<usize> = const { Cell::new(0) };
}

/// Where the stack is now: the address of a local of the caller's frame. (Stacks grow
/// down on every platform the product is built for.)
#[inline(always)]
fn address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The floor of the current segment: the lowest address the stack may reach before only
/// [`RED_ZONE`] is left; 0 (ask every time) when the stack's limit is unknown.
fn measure() -> usize {
    match stacker::remaining_stack() {
        Some(left) => (address() + RED_ZONE).saturating_sub(left).max(1),
        None => 0,
    }
}

/// Runs `f` one level down: directly while the stack is above the thread's floor,
/// otherwise through `stacker` (on a new segment when this one is low), with the floor
/// measured for the segment `f` runs on and put back after.
#[inline]
pub fn descend<R>(f: impl FnOnce() -> R) -> R {
    let mut floor = FLOOR.with(Cell::get);
    if floor == 0 {
        // Not measured yet, so on the thread's own stack (a segment `descend` grew would
        // have set it): measured once, for every later walk on the thread.
        floor = measure();
        FLOOR.with(|c| c.set(floor));
    }
    if floor != 0 && address() > floor {
        return f();
    }
    stacker::maybe_grow(RED_ZONE, GROWTH, || {
        let saved = FLOOR.with(|c| c.replace(measure()));
        let out = f();
        FLOOR.with(|c| c.set(saved));
        out
    })
}
