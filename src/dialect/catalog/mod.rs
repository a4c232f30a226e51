//! Neo4j's built-in function catalogue, per Cypher version: name, category, signature,
//! description, and whether the function aggregates or is deprecated — what `SHOW
//! FUNCTIONS` lists on a real Neo4j. The data (`functions-5.tsv`, `functions-25.tsv`) is
//! extracted by `tests/tools/functions-extract.mjs` from Neo4j's language-support package.
//!
//! It owns the catalogue. It must not evaluate anything (that is `eval`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// One built-in function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The name as Neo4j writes it (`toUpper`, `duration.between`).
    pub name: &'static str,
    /// Neo4j's category (`String`, `Temporal`, ...).
    pub category: &'static str,
    /// The signature as SHOW FUNCTIONS prints it.
    pub signature: &'static str,
    /// Neo4j's one-line description.
    pub description: &'static str,
    /// True for aggregating functions (`count`, `collect`, ...).
    pub aggregating: bool,
    /// True when Neo4j marks it deprecated.
    pub deprecated: bool,
}

fn read(tsv: &'static str) -> Vec<Function> {
    tsv.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some(Function {
                name: f.next()?,
                category: f.next()?,
                signature: f.next()?,
                aggregating: f.next()? == "aggregating",
                deprecated: f.next()? == "deprecated",
                description: f.next()?,
            })
        })
        .collect()
}

static CYPHER5: LazyLock<Vec<Function>> = LazyLock::new(|| read(include_str!("functions-5.tsv")));
static CYPHER25: LazyLock<Vec<Function>> = LazyLock::new(|| read(include_str!("functions-25.tsv")));

/// The built-in functions of Cypher 5, or of Cypher 25 when `cypher25`, sorted by name.
pub fn functions(cypher25: bool) -> &'static [Function] {
    if cypher25 { &CYPHER25 } else { &CYPHER5 }
}

/// The built-in function called `name` (case-insensitive, as Neo4j resolves them).
pub fn function(name: &str, cypher25: bool) -> Option<&'static Function> {
    function_index(name, cypher25).map(|i| &functions(cypher25)[i])
}

/// The place of the function called `name` in [`functions`].
fn function_index(name: &str, cypher25: bool) -> Option<usize> {
    // Semantic analysis asks for every function call: a map by lower-case name, not a scan.
    let index = if cypher25 { &INDEX25 } else { &INDEX5 };
    // Lower-cased on the stack: every call of a function in a query is looked up.
    let mut buf = [0u8; 64];
    // Keys are bytes: lower-casing ASCII letters keeps the text UTF-8, so it need not be
    // validated again.
    let key = match buf.get_mut(..name.len()) {
        Some(lower) => {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            lower
        }
        None => return index.get(name.to_ascii_lowercase().as_bytes()).copied(),
    };
    index.get(&*key).copied()
}

/// The declared types of the parameters of the built-in function called `name`, in
/// order, as its signature states them (`range` → `INTEGER` three times); `None` for a
/// function the catalogue does not know.
pub fn parameter_types(name: &str, cypher25: bool) -> Option<&'static [&'static str]> {
    let table = if cypher25 { &PARAMS25 } else { &PARAMS5 };
    table
        .get(function_index(name, cypher25)?)
        .map(Vec::as_slice)
}

/// Each function's parameter types, read from its signature once: semantic analysis
/// asks for them at every call with an argument of known type.
fn parameter_table(functions: &'static [Function]) -> Vec<Vec<&'static str>> {
    functions
        .iter()
        .map(|f| read_parameter_types(f.signature))
        .collect()
}

static PARAMS5: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| parameter_table(functions(false)));
static PARAMS25: LazyLock<Vec<Vec<&'static str>>> =
    LazyLock::new(|| parameter_table(functions(true)));

/// The declared types of a signature's parameters, in order (`range(start :: INTEGER,
/// end :: INTEGER, step :: INTEGER) :: LIST<INTEGER>` → INTEGER three times).
fn read_parameter_types(signature: &str) -> Vec<&str> {
    let Some(open) = signature.find('(') else {
        return Vec::new();
    };
    // memchr's substring search: `str::rfind` with a pattern sets up a two-way searcher
    // per call, which cost more than the rest of this function.
    let Some(close) = memchr::memmem::rfind(signature.as_bytes(), b") ::") else {
        return Vec::new();
    };
    let inner = &signature[open + 1..close];
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&inner[start..]);
    out.into_iter()
        .filter_map(|p| {
            let at = memchr::memmem::find(p.as_bytes(), b" :: ")?;
            p.get(at + 4..).map(str::trim)
        })
        .collect()
}

/// Function names to their place in the catalogue.
type NameMap = HashMap<Box<[u8]>, usize, BuildHasherDefault<Fnv>>;

/// FNV-1a: the keys are short names and the map is fixed (the catalogue; input only
/// looks up), so no input can make it degrade, and a simple multiplicative hash serves
/// where the default SipHash cost most of each lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

fn index(functions: &'static [Function]) -> NameMap {
    let mut map = NameMap::default();
    for (i, f) in functions.iter().enumerate() {
        // The first entry of a name wins, as the scan it replaces did.
        map.entry(f.name.to_ascii_lowercase().into_bytes().into_boxed_slice())
            .or_insert(i);
    }
    map
}

static INDEX5: LazyLock<NameMap> = LazyLock::new(|| index(functions(false)));
static INDEX25: LazyLock<NameMap> = LazyLock::new(|| index(functions(true)));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_whole_and_well_formed() {
        for cypher25 in [false, true] {
            let all = functions(cypher25);
            assert!(all.len() > 120, "{} functions", all.len());
            for f in all {
                assert!(
                    f.signature.starts_with(f.name) && f.signature.contains(" :: "),
                    "{f:?}"
                );
            }
        }
        let upper = function("TOUPPER", false).map(|f| f.signature);
        assert_eq!(upper, Some("toUpper(input :: STRING) :: STRING"));
        assert!(function("count", false).is_some_and(|f| f.aggregating));
        assert!(function("nosuch", false).is_none());
        assert_eq!(
            parameter_types("RANGE", false),
            Some(&["INTEGER", "INTEGER", "INTEGER"][..])
        );
        assert_eq!(parameter_types("nosuch", true), None);
    }
}
