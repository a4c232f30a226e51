//! The client decodes every recorded Neo4j response of the Query API reference (§4, §5,
//! §7) correctly. Cases live in `tests/data/wire/recorded.json`: adding a case is adding
//! an entry.

use cysh::wire::Encoding;
use cysh::wire::response::decode;
use serde_json::Value as Json;

fn strings(j: &Json) -> Vec<String> {
    j.as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn recorded_responses_decode() {
    let cases: Vec<Json> =
        serde_json::from_str(include_str!("../data/wire/recorded.json")).expect("valid case file");
    assert!(cases.len() >= 15);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let encoding = match case["encoding"].as_str() {
            Some("typed") => Encoding::Typed,
            _ => Encoding::Plain,
        };
        let body = case["response"].to_string();
        let d = decode(body.as_bytes(), encoding).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.result.fields, strings(&case["fields"]), "{name}");
        let rows: Vec<Vec<String>> = d
            .result
            .rows
            .iter()
            .map(|r| r.iter().map(|v| v.to_string()).collect())
            .collect();
        let want: Vec<Vec<String>> = case["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .map(strings)
            .collect();
        assert_eq!(rows, want, "{name}");
        let codes: Vec<String> = d.errors.iter().map(|e| e.code.clone()).collect();
        assert_eq!(codes, strings(&case["errors"]), "{name}");
        let notes: Vec<String> = d
            .result
            .notifications
            .iter()
            .map(|n| n.code.clone())
            .collect();
        assert_eq!(notes, strings(&case["notifications"]), "{name}");
        assert_eq!(
            d.bookmarks.len() as u64,
            case["bookmarks"].as_u64().unwrap_or(0),
            "{name}"
        );
        assert_eq!(
            d.transaction.map(|t| t.id),
            case["transaction"].as_str().map(String::from),
            "{name}"
        );
        if let Some(a) = case["available_after"].as_u64() {
            assert_eq!(d.result.available_after_ms, a, "{name}");
            assert_eq!(
                d.result.consumed_after_ms,
                case["consumed_after"].as_u64().unwrap_or(0),
                "{name}"
            );
        }
    }
}

#[test]
fn rollback_bodies_decode() {
    // 200 with an empty body on 5.26.31, `{}` on 2026.09.0 (§4.3).
    for body in ["", "{}"] {
        let d = decode(body.as_bytes(), Encoding::Typed).expect("decodes");
        assert!(d.errors.is_empty() && !d.has_data);
    }
    assert!(decode(b"<html>", Encoding::Typed).is_err());
}
