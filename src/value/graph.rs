//! Graph entities as a server returns them: nodes, relationships and paths, with their
//! ids, element ids, labels or type, and properties.
//!
//! It owns their shape and cypher-shell's rendering (`(:Person {name: "Mark"})`,
//! `[:KNOWS {since: 2016}]`, `(:A)-[:R]->(:B)<-[:S]-(:C)`). The embedded cluster has no
//! graph, so these only arrive from a server (Query API, Bolt); nothing here builds them.

use super::{Value, write_key};
use std::collections::BTreeMap;
use std::fmt;

/// A node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The legacy numeric id (Bolt sends it; the Query API does not).
    pub id: Option<i64>,
    /// The element id (`4:<database id>:<n>`).
    pub element_id: String,
    /// The labels.
    pub labels: Vec<String>,
    /// The properties.
    pub properties: BTreeMap<String, Value>,
}

/// A relationship.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    /// The legacy numeric id, when known.
    pub id: Option<i64>,
    /// The element id.
    pub element_id: String,
    /// The start node's legacy id, when known.
    pub start_id: Option<i64>,
    /// The start node's element id.
    pub start_element_id: String,
    /// The end node's legacy id, when known.
    pub end_id: Option<i64>,
    /// The end node's element id.
    pub end_element_id: String,
    /// The relationship type.
    pub rel_type: String,
    /// The properties.
    pub properties: BTreeMap<String, Value>,
}

/// A path: `nodes[0]`, `relationships[0]`, `nodes[1]`, ... in traversal order, so there is
/// one more node than relationships; each relationship keeps its own direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The nodes in order (at least one).
    pub nodes: Vec<Node>,
    /// The relationships between them.
    pub relationships: Vec<Relationship>,
}

fn write_properties(f: &mut fmt::Formatter<'_>, props: &BTreeMap<String, Value>) -> fmt::Result {
    f.write_str("{")?;
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_key(f, k)?;
        write!(f, ": {v}")?;
    }
    f.write_str("}")
}

impl fmt::Display for Node {
    /// `(:L1:L2 {k: v})`; the properties are left out when there are none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for l in &self.labels {
            f.write_str(":")?;
            write_key(f, l)?;
        }
        if !self.properties.is_empty() {
            if !self.labels.is_empty() {
                f.write_str(" ")?;
            }
            write_properties(f, &self.properties)?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Relationship {
    /// `[:TYPE {k: v}]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[:")?;
        write_key(f, &self.rel_type)?;
        if !self.properties.is_empty() {
            f.write_str(" ")?;
            write_properties(f, &self.properties)?;
        }
        f.write_str("]")
    }
}

impl Relationship {
    /// True when the relationship starts at `node` (by element id, which every source
    /// gives; cypher-shell compares the legacy ids, which name the same nodes).
    pub fn starts_at(&self, node: &Node) -> bool {
        self.start_element_id == node.element_id
    }
}

impl fmt::Display for Path {
    /// The nodes joined by `-[..]->` or `<-[..]-` as each relationship points.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.nodes.first() else {
            return Ok(());
        };
        write!(f, "{first}")?;
        let mut last = first;
        for (rel, node) in self.relationships.iter().zip(self.nodes.iter().skip(1)) {
            if rel.starts_at(last) {
                write!(f, "-{rel}->")?;
            } else {
                write!(f, "<-{rel}-")?;
            }
            write!(f, "{node}")?;
            last = node;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, labels: &[&str], props: &[(&str, Value)]) -> Node {
        Node {
            id: None,
            element_id: id.into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            properties: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    fn rel(from: &str, to: &str, t: &str) -> Relationship {
        Relationship {
            id: None,
            element_id: format!("{from}-{to}"),
            start_id: None,
            start_element_id: from.into(),
            end_id: None,
            end_element_id: to.into(),
            rel_type: t.into(),
            properties: BTreeMap::new(),
        }
    }

    #[test]
    fn renders_like_cypher_shell() {
        let mark = node("1", &["Person"], &[("name", Value::str("Mark"))]);
        assert_eq!(mark.to_string(), r#"(:Person {name: "Mark"})"#);
        assert_eq!(node("2", &[], &[]).to_string(), "()");
        assert_eq!(node("2", &["a b"], &[]).to_string(), "(:`a b`)");
        let mut since = rel("1", "2", "TEST");
        since.properties.insert("since".into(), Value::Int(2016));
        assert_eq!(since.to_string(), "[:TEST {since: 2016}]");
        let path = Path {
            nodes: vec![
                node("1", &["L1"], &[]),
                node("2", &["L2"], &[]),
                node("3", &["L3"], &[]),
            ],
            relationships: vec![rel("2", "1", "R1"), rel("2", "3", "R2")],
        };
        assert_eq!(path.to_string(), "(:L1)<-[:R1]-(:L2)-[:R2]->(:L3)");
    }
}
