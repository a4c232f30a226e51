//! PackStream round trips of every `Value` kind, the byte forms the spec gives, and the
//! property that no input bytes make a decoder (value, request, response, framing) panic.

use super::message::{Request, Response};
use super::packstream::{DecodeError, Dialect, decode, encode};
use crate::value::graph::{Node, Path, Relationship};
use crate::value::{Duration, Point, Value, ZonedDateTime, ZonedTime};
use jiff::civil;
use jiff::tz::Offset;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn node(id: i64, label: &str) -> Node {
    Node {
        id: Some(id),
        element_id: format!("4:db:{id}"),
        labels: vec![label.into()],
        properties: BTreeMap::from([("name".to_string(), Value::str(label))]),
    }
}

fn rel(id: i64, from: &Node, to: &Node) -> Relationship {
    Relationship {
        id: Some(id),
        element_id: format!("5:db:{id}"),
        start_id: from.id,
        start_element_id: from.element_id.clone(),
        end_id: to.id,
        end_element_id: to.element_id.clone(),
        rel_type: "KNOWS".into(),
        properties: BTreeMap::from([("since".to_string(), Value::Int(2016))]),
    }
}

fn samples() -> Vec<Value> {
    let (a, b, c) = (node(1, "A"), node(2, "B"), node(3, "C"));
    let path = Path {
        nodes: vec![a.clone(), b.clone(), c.clone()],
        // a->b forward, then c->b traversed backwards.
        relationships: vec![rel(10, &a, &b), rel(11, &c, &b)],
    };
    vec![
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        Value::Int(0),
        Value::Int(-16),
        Value::Int(-17),
        Value::Int(127),
        Value::Int(128),
        Value::Int(-129),
        Value::Int(40_000),
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(1.5),
        Value::Float(f64::INFINITY),
        Value::str(""),
        Value::str("x".repeat(15)),
        Value::str("y".repeat(16)),
        Value::str("z".repeat(70_000)),
        Value::str("ünïcødé 😀"),
        Value::Bytes(vec![1, 2, 255]),
        Value::List((0..20).map(Value::Int).collect()),
        Value::Map((0..20).map(|i| (format!("k{i}"), Value::Int(i))).collect()),
        Value::Date(civil::date(2015, 7, 21)),
        Value::Date(civil::date(1969, 12, 31)),
        Value::LocalTime(civil::time(12, 50, 35, 556_000_000)),
        Value::Time(ZonedTime {
            time: civil::time(12, 50, 35, 0),
            offset: Offset::from_seconds(3600).unwrap(),
        }),
        Value::LocalDateTime(civil::date(1900, 1, 1).at(1, 2, 3, 4)),
        Value::DateTime(ZonedDateTime {
            local: civil::date(2015, 7, 21).at(21, 40, 32, 142_000_000),
            offset: Offset::from_seconds(-5 * 3600).unwrap(),
            zone: None,
        }),
        Value::DateTime(
            ZonedDateTime::of_local(
                civil::date(2015, 7, 21).at(21, 40, 32, 0),
                Some("Europe/London"),
                Offset::UTC,
            )
            .unwrap(),
        ),
        Value::Duration(Duration::new(14, 3, 4 * 3600 + 5 * 60 + 6, 7_000_000).unwrap()),
        Value::Point(Point {
            srid: 4326,
            x: 1.0,
            y: 2.0,
            z: None,
        }),
        Value::Point(Point {
            srid: 9157,
            x: 1.0,
            y: 2.0,
            z: Some(3.0),
        }),
        Value::Node(Box::new(a.clone())),
        Value::Relationship(Box::new(rel(10, &a, &b))),
        Value::Path(Box::new(path)),
    ]
}

#[test]
fn every_value_kind_round_trips_in_bolt_5_and_4_4() {
    for v in samples() {
        assert_eq!(decode(&encode(&v, Dialect::V5)).unwrap(), v, "{v}");
        // 4.4 without element ids: those come back as the numeric ids.
        if !matches!(v, Value::Node(_) | Value::Relationship(_) | Value::Path(_)) {
            assert_eq!(decode(&encode(&v, Dialect::V4)).unwrap(), v, "4.4 {v}");
        }
    }
}

#[test]
fn spec_byte_forms() {
    let e = |v: Value| encode(&v, Dialect::V5);
    assert_eq!(e(Value::Null), [0xC0]);
    assert_eq!(e(Value::Int(-16)), [0xF0]);
    assert_eq!(e(Value::Int(-17)), [0xC8, 0xEF]);
    assert_eq!(e(Value::Int(128)), [0xC9, 0x00, 0x80]);
    assert_eq!(e(Value::Int(32_768)), [0xCA, 0x00, 0x00, 0x80, 0x00]);
    assert_eq!(
        e(Value::Float(1.1)),
        [0xC1, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]
    );
    assert_eq!(e(Value::str("a")), [0x81, 0x61]);
    assert_eq!(e(Value::List(vec![])), [0x90]);
    assert_eq!(e(Value::Map(BTreeMap::new())), [0xA0]);
    assert_eq!(e(Value::Bytes(vec![])), [0xCC, 0x00]);
    // Date 1970-01-02 is day 1.
    assert_eq!(e(Value::Date(civil::date(1970, 1, 2))), [0xB1, 0x44, 0x01]);
    // A UTC date-time counts the instant's seconds; the legacy form the local ones.
    let dt = Value::DateTime(ZonedDateTime {
        local: civil::date(1970, 1, 1).at(1, 0, 0, 0),
        offset: Offset::from_seconds(3600).unwrap(),
        zone: None,
    });
    assert_eq!(e(dt.clone()), [0xB3, 0x49, 0x00, 0x00, 0xC9, 0x0E, 0x10]);
    assert_eq!(
        encode(&dt, Dialect::V4),
        [0xB3, 0x46, 0xC9, 0x0E, 0x10, 0x00, 0xC9, 0x0E, 0x10]
    );
}

#[test]
fn malformed_values_are_errors() {
    assert_eq!(decode(&[]), Err(DecodeError::Truncated));
    assert_eq!(decode(&[0xC4]), Err(DecodeError::UnknownMarker(0xC4)));
    assert_eq!(
        decode(&[0xD2, 0xFF, 0xFF, 0xFF, 0xFF]),
        Err(DecodeError::Truncated)
    );
    assert_eq!(decode(&[0x82, 0xFF, 0xFE]), Err(DecodeError::Utf8));
    assert_eq!(decode(&[0xA1, 0x01, 0x01]), Err(DecodeError::KeyNotString));
    assert!(matches!(
        decode(&[0xB1, 0x44, 0x81, 0x61]),
        Err(DecodeError::BadStructure { tag: 0x44, .. })
    ));
    assert_eq!(
        decode(&[0xB0, 0x01]),
        Err(DecodeError::UnknownStructure(0x01))
    );
    // A huge claimed list length allocates nothing before failing.
    assert_eq!(
        decode(&[0xD6, 0x7F, 0xFF, 0xFF, 0xFF]),
        Err(DecodeError::Truncated)
    );
    // Deep nesting is refused, not recursed into.
    let deep = vec![0x91; 100_000];
    assert_eq!(decode(&deep), Err(DecodeError::TooDeep));
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(Value::Float),
        ".{0,40}".prop_map(Value::String),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        (-2_900_000i64..2_900_000).prop_map(|d| Value::Date(
            civil::date(1970, 1, 1)
                .checked_add(jiff::Span::new().days(d))
                .unwrap()
        )),
        (
            any::<i32>(),
            any::<i32>(),
            0i32..86_400,
            0i32..1_000_000_000
        )
            .prop_map(|(m, d, s, n)| Value::Duration(
                Duration::new(i64::from(m), i64::from(d), i64::from(s), i64::from(n)).unwrap()
            )),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::List),
            proptest::collection::btree_map(".{0,8}", inner, 0..8).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #[test]
    fn generated_values_round_trip(v in arb_value()) {
        prop_assert_eq!(decode(&encode(&v, Dialect::V5)).unwrap(), v);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = decode(&bytes);
        let _ = Request::decode(&bytes);
        let _ = Response::decode(&bytes);
        let mut d = super::chunk::Dechunker::new(1024);
        d.push(&bytes);
        while let Ok(Some(_)) = d.next_message() {}
    }

    #[test]
    fn mutated_messages_never_panic(
        pick in 0usize..34, at in any::<prop::sample::Index>(), byte in any::<u8>()
    ) {
        // A valid encoding with one byte changed reaches deeper into the decoder than
        // random bytes do.
        let v = samples().swap_remove(pick);
        let mut bytes = encode(&v, Dialect::V5);
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = decode(&bytes);
        let _ = Response::decode(&Response::Record(vec![v]).encode(Dialect::V5)[..i.min(2)]);
    }
}
