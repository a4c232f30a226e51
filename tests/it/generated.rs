//! The committed man page and completion scripts equal what the code generates, so they
//! never drift from the flags. A failure says how to regenerate.

use crate::util::{cysh, run};
use std::path::Path;

#[test]
fn man_page_and_completions_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (artifact, path) in [
        ("man", "man/cysh.1"),
        ("bash", "completions/cysh.bash"),
        ("zsh", "completions/_cysh"),
        ("fish", "completions/cysh.fish"),
    ] {
        let (code, generated, stderr) = run(cysh().args(["--generate", artifact]));
        assert_eq!(code, 0, "{stderr}");
        let committed =
            std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        if committed != generated {
            stale.push(format!(
                "{path} is stale: run `cargo run -- --generate {artifact} > {path}`"
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
