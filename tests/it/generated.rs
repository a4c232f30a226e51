//! The committed man page and completion scripts equal what the code generates, so they
//! never drift from the flags. A failure says how to regenerate.

use crate::util::{cysh, run};
use std::path::Path;

#[test]
fn man_page_and_completions_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (artifact, path) in cysh::cli::Artifact::ALL {
        let artifact = clap::ValueEnum::to_possible_value(&artifact)
            .unwrap()
            .get_name()
            .to_string();
        let (code, generated, stderr) = run(cysh().args(["--generate", &artifact]));
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

#[test]
fn every_page_the_manual_refers_to_is_shipped_and_completions_hide_generate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = std::fs::read_to_string(root.join("man/cysh.1")).unwrap();
    for page in ["cysh-check", "cysh-serve", "cysh-twin", "cysh-help"] {
        let roff = page.replace('-', "\\-");
        assert!(
            main.contains(&format!("{roff}(1)")),
            "cysh(1) names {page}(1)"
        );
        let shipped = root.join(format!("man/{page}.1"));
        let text = std::fs::read_to_string(&shipped).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(&format!(".TH {page} 1")), "{page}: {text}");
    }
    for path in [
        "completions/cysh.bash",
        "completions/_cysh",
        "completions/cysh.fish",
    ] {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        assert!(!text.contains("generate"), "{path} offers --generate");
    }
}
