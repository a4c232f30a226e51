//! Fuzz target: the dialect's entry points on arbitrary UTF-8 must never panic, and every
//! error's position must lie inside the input.
//!
//! Build: `cargo fuzz build -s none parse` (stable toolchain); run:
//! `cargo fuzz run -s none parse -- -max_total_time=600`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Cypher 25 too: its grammar differs where the parser's version flag is consulted.
    let _ = cysh::dialect::parse_as(text, cysh::dialect::CypherVersion::Cypher25);
    match cysh::dialect::parse(text) {
        Ok(stmt) => {
            let _ = cysh::dialect::params::check(&stmt, &Default::default());
        }
        Err(e) => {
            if let Some(p) = e.position {
                assert!(p.offset <= text.chars().count());
            }
            let _ = e.render(text);
        }
    }
    let _ = cysh::dialect::parse_expression(text);
    let _ = cysh::dialect::parse_param_assignment(text);
    let _ = cysh::dialect::completion_context(text);
    for version in [
        cysh::dialect::CypherVersion::Cypher5,
        cysh::dialect::CypherVersion::Cypher25,
    ] {
        let _ = cysh::dialect::check::check_script(
            text,
            &mut Default::default(),
            jiff::Timestamp::UNIX_EPOCH,
            version,
        );
    }
});
