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
        let codes: Vec<String> = d.errors.iter().map(|e| e.code.to_string()).collect();
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

mod never_panics {
    use cysh::wire::{Encoding, request, response};
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|i| serde_json::json!(i)),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            "[a-zA-Z$_]{0,8}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("$type".to_string()),
                        Just("_value".to_string()),
                        Just("statement".to_string()),
                        Just("parameters".to_string()),
                        Just("data".to_string()),
                        Just("fields".to_string()),
                        Just("values".to_string()),
                        Just("errors".to_string()),
                        "[a-z]{1,6}"
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn request_and_response_decoders_never_panic(v in json_value(), raw in prop::collection::vec(any::<u8>(), 0..64)) {
            let text = v.to_string();
            for enc in [Encoding::Plain, Encoding::Typed] {
                let _ = request::decode(text.as_bytes(), enc);
                let _ = response::decode(text.as_bytes(), enc);
                let _ = request::decode(&raw, enc);
                let _ = response::decode(&raw, enc);
            }
        }
    }
}
