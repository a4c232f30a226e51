//! EXPLAIN and PROFILE plans as cypher-shell prints them: the summary (`Plan`,
//! `Statement`, `Version`, `Planner`, `Runtime`, `Time`, and for PROFILE `Rows`, `DbHits`
//! and `Memory (Bytes)`) — a one-row table in the verbose format, `Key: value` lines in the plain one —
//! and the plan table, whose first column draws the operator tree with `+`, `|` and `\`.
//!
//! The plan table follows cypher-shell's table plan formatter: a column appears when some
//! operator has its argument (`Id`, `Details`, `EstimatedRows`, `Rows`, `DbHits`, `Memory`,
//! `PageCacheHits`/`PageCacheMisses`, `Time`, `Order`, `PipelineInfo`), numbers are
//! right-aligned, details longer than 100 characters continue on the next line, and the
//! second child of an operator is drawn first, one level in. A plan whose root carries
//! Neo4j's own `string-representation` is printed as that text, as cypher-shell does.
//! It must stay pure: text to the writer it is given.

use crate::result::{ExecutionPlan, Operator, QueryResult};
use crate::value::Value;
use std::io::{self, Write};

/// cypher-shell's cut for the Details column.
const MAX_DETAILS_WIDTH: usize = 100;

/// The plan table's columns, in cypher-shell's order.
const OPERATOR: &str = "Operator";
const COLUMNS: [&str; 11] = [
    OPERATOR,
    "Id",
    "Details",
    "Estimated Rows",
    "Rows",
    "DB Hits",
    "Memory (Bytes)",
    "Page Cache Hits/Misses",
    "Time (ms)",
    "Ordered by",
    "Pipeline",
];

/// cypher-shell's plan summary: `(key, value)` pairs in its order, values as the Java
/// driver prints them (`"EXPLAIN"` quoted, numbers bare). `time_ms` is the statement's
/// time until its last row.
pub fn summary(plan: &ExecutionPlan, time_ms: u64) -> Vec<(&'static str, Value)> {
    let root = &plan.root;
    let text = |key: &str| {
        root.argument(key)
            .cloned()
            .unwrap_or_else(|| Value::str(""))
    };
    let mut pairs = vec![
        ("Plan", Value::str(plan.kind())),
        ("Statement", Value::str(plan.query_type.clone())),
        ("Version", text("Version")),
        ("Planner", text("Planner")),
        ("Runtime", text("Runtime")),
        (
            "Time",
            Value::Int(i64::try_from(time_ms).unwrap_or(i64::MAX)),
        ),
    ];
    if plan.profiled {
        let rows = root
            .profile
            .map(|p| p.rows)
            .or_else(|| root.int_argument("Rows"))
            .unwrap_or(0);
        pairs.push(("Rows", Value::Int(rows)));
        pairs.push(("DbHits", Value::Int(root.total_db_hits())));
        // The query's memory as the server measured it; `"?"` when it did not say.
        let memory = root
            .arguments
            .get("GlobalMemory")
            .cloned()
            .unwrap_or_else(|| Value::str("?"));
        pairs.push(("Memory (Bytes)", memory));
    }
    pairs
}

/// The summary as a one-row result, which the verbose format draws as a table.
pub fn summary_result(plan: &ExecutionPlan, time_ms: u64) -> QueryResult {
    let (fields, row): (Vec<String>, Vec<Value>) = summary(plan, time_ms)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .unzip();
    QueryResult::new(fields, vec![row])
}

/// The plain format's summary: one `Key: value` line each.
pub fn write_summary_lines(
    out: &mut dyn Write,
    plan: &ExecutionPlan,
    time_ms: u64,
) -> io::Result<()> {
    for (key, value) in summary(plan, time_ms) {
        writeln!(out, "{key}: {value}")?;
    }
    Ok(())
}

/// The plan table (or the server's own `string-representation`), ending with a newline.
pub fn plan_text(plan: &ExecutionPlan) -> String {
    if let Some(Value::String(text)) = plan.root.arguments.get("string-representation") {
        return text.clone();
    }
    format_plan(&plan.root)
}

/// One row of the plan table: the tree and operator name, the cells by column, and the
/// connector drawn in the divider above it.
struct Row {
    tree: String,
    cells: Vec<(&'static str, Cell)>,
    connection: Option<String>,
}

impl Row {
    fn cell(&self, column: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v)
    }

    fn height(&self) -> usize {
        self.cells
            .iter()
            .map(|(_, c)| c.lines.len())
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

struct Cell {
    lines: Vec<String>,
    right: bool,
}

impl Cell {
    fn left(lines: Vec<String>) -> Cell {
        Cell {
            lines,
            right: false,
        }
    }

    fn right(text: String) -> Cell {
        Cell {
            lines: vec![text],
            right: true,
        }
    }

    fn width(&self) -> usize {
        self.lines.iter().map(|l| width(l)).max().unwrap_or(0)
    }
}

/// Where an operator sits in the tree: the root, the only (or left) child, or a right
/// child drawn one level in.
#[derive(Clone, Copy)]
enum Level {
    Root,
    Child(usize),
    Fork(usize),
}

impl Level {
    fn child(self) -> Level {
        match self {
            Level::Root => Level::Child(1),
            Level::Child(l) | Level::Fork(l) => Level::Child(l),
        }
    }

    fn fork(self) -> Level {
        match self {
            Level::Root => Level::Fork(2),
            Level::Child(l) | Level::Fork(l) => Level::Fork(l + 1),
        }
    }

    fn line(self) -> String {
        match self {
            Level::Root => "+".into(),
            Level::Child(l) | Level::Fork(l) => format!("{}+", "| ".repeat(l - 1)),
        }
    }

    fn connector(self) -> Option<String> {
        match self {
            Level::Root => None,
            Level::Child(l) => Some("| ".repeat(l)),
            Level::Fork(l) => Some(format!("{}|\\", "| ".repeat(l.saturating_sub(2)))),
        }
    }
}

/// Display width as cypher-shell counts it (characters).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// The plan table of `root`, in cypher-shell's layout.
pub fn format_plan(root: &Operator) -> String {
    let mut rows = Vec::new();
    // Walk with an explicit stack: the second child is drawn before the first, one
    // level in, and a deep plan must not overflow the stack.
    let mut stack = vec![(root, Level::Root)];
    while let Some((op, level)) = stack.pop() {
        rows.push(Row {
            tree: format!("{}{}", level.line(), op.name()),
            cells: cells(op),
            connection: level.connector(),
        });
        match op.children.as_slice() {
            [] => {}
            [only] => stack.push((only, level.child())),
            [first, rest @ ..] => {
                stack.push((first, level.child()));
                // Neo4j's operators have at most two children; any further ones are
                // drawn like the second, so no plan is refused.
                let mut fork = level.fork();
                for other in rest {
                    stack.push((other, fork));
                    fork = fork.fork();
                }
            }
        }
    }
    let mut widths: Vec<(&str, usize)> = Vec::new();
    for column in COLUMNS {
        let longest = if column == OPERATOR {
            rows.iter().map(|r| width(&r.tree)).max()
        } else {
            rows.iter()
                .filter_map(|r| r.cell(column).map(Cell::width))
                .max()
        };
        if let Some(w) = longest {
            widths.push((column, 2 + w.max(width(column))));
        }
    }
    let mut out = String::new();
    let header = Row {
        tree: OPERATOR.into(),
        cells: widths
            .iter()
            .map(|(c, _)| (*c, Cell::left(vec![(*c).to_string()])))
            .collect(),
        connection: None,
    };
    let all: Vec<&Row> = std::iter::once(&header).chain(rows.iter()).collect();
    for (i, row) in all.iter().enumerate() {
        divider(&mut out, &widths, Some(row));
        let below = all.get(i + 1).and_then(|r| r.connection.as_deref());
        for line in 0..row.height() {
            for (column, w) in &widths {
                let (text, right) = if *column == OPERATOR {
                    let text = if line == 0 {
                        row.tree.clone()
                    } else {
                        below.unwrap_or("").replace('\\', " ")
                    };
                    (text, false)
                } else {
                    match row.cell(column) {
                        Some(c) => (c.lines.get(line).cloned().unwrap_or_default(), c.right),
                        None => (String::new(), false),
                    }
                };
                let pad = " ".repeat(w.saturating_sub(width(&text) + 2));
                out.push_str("| ");
                if right {
                    out.push_str(&pad);
                    out.push_str(&text);
                } else {
                    out.push_str(&text);
                    out.push_str(&pad);
                }
                out.push(' ');
            }
            out.push_str("|\n");
        }
    }
    divider(&mut out, &widths, None);
    out
}

/// The line above a row: dashes, except where the tree continues in the Operator column.
fn divider(out: &mut String, widths: &[(&str, usize)], row: Option<&Row>) {
    for (column, w) in widths {
        match row.and_then(|r| r.connection.as_deref()) {
            Some(connection) if *column == OPERATOR => {
                out.push_str("| ");
                out.push_str(connection);
                out.push_str(&" ".repeat(w.saturating_sub(width(connection) + 1)));
            }
            _ => {
                out.push('+');
                out.push_str(&"-".repeat(*w));
            }
        }
    }
    out.push_str("+\n");
}

/// A number as the Java driver's `asNumber().toString()` prints it.
fn number(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The cells an operator's arguments fill.
fn cells(op: &Operator) -> Vec<(&'static str, Cell)> {
    let mut cells = Vec::new();
    let args = &op.arguments;
    if let Some(id) = args.get("Id") {
        cells.push(("Id", Cell::right(number(id))));
    }
    if let Some(details) = args.get("Details") {
        let text = match details {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        cells.push(("Details", Cell::left(split_details(&text))));
    }
    if let Some(estimate) = args.get("EstimatedRows") {
        let text = match estimate {
            Value::Float(f) if f.is_nan() => "NaN".to_string(),
            Value::Float(f) => format!("{}", f.round() as i64),
            other => number(other),
        };
        cells.push(("Estimated Rows", Cell::right(text)));
    }
    if let Some(rows) = args.get("Rows") {
        cells.push(("Rows", Cell::right(number(rows))));
    }
    if let Some(hits) = args.get("DbHits") {
        cells.push(("DB Hits", Cell::right(number(hits))));
    }
    if let Some(memory) = args.get("Memory") {
        cells.push(("Memory (Bytes)", Cell::right(number(memory))));
    }
    if let Some(hits) = args.get("PageCacheHits") {
        let misses = args
            .get("PageCacheMisses")
            .map_or_else(|| "0".to_string(), number);
        cells.push((
            "Page Cache Hits/Misses",
            Cell::right(format!("{}/{misses}", number(hits))),
        ));
    }
    if let Some(time) = op.int_argument("Time") {
        cells.push((
            "Time (ms)",
            Cell::right(format!("{:.3}", time as f64 / 1e6)),
        ));
    }
    if let Some(Value::String(order)) = args.get("Order") {
        cells.push(("Ordered by", Cell::left(vec![order.clone()])));
    }
    if let Some(Value::String(pipeline)) = args.get("PipelineInfo") {
        cells.push(("Pipeline", Cell::left(vec![pipeline.clone()])));
    }
    cells
}

/// Details cut into lines of at most 100 characters (cypher-shell cuts, it does not wrap
/// at words); empty details make no line.
fn split_details(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(MAX_DETAILS_WIDTH)
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Profile;

    fn op(name: &str, args: &[(&str, Value)], children: Vec<Operator>) -> Operator {
        let mut o = Operator::new(name);
        for (k, v) in args {
            o.arguments.insert((*k).to_string(), v.clone());
        }
        o.children = children;
        o
    }

    /// Reads `tests/data/plans/*.txt`: each case is a plan written as indented lines
    /// (`Name key=value ...`, two spaces per level; `'text'`, `1.5`, `NaN` and `7` values),
    /// `---`, and the expected table.
    #[test]
    fn data_driven_plans_draw_as_cypher_shell_draws_them() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/plans");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        assert!(files.len() >= 4, "plan cases missing in {dir}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let (tree, expected) = text.split_once("---\n").unwrap();
            let root = read_tree(tree);
            assert_eq!(format_plan(&root), expected, "{}", file.display());
        }
    }

    /// Builds the operator tree from indented lines.
    fn read_tree(text: &str) -> Operator {
        let mut stack: Vec<(usize, Operator)> = Vec::new();
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let depth = (line.len() - line.trim_start().len()) / 2;
            let mut parts = line.trim().splitn(2, ' ');
            let name = parts.next().unwrap();
            let mut o = Operator::new(name);
            if let Some(args) = parts.next() {
                for arg in split_args(args) {
                    let (k, v) = arg.split_once('=').unwrap();
                    o.arguments.insert(k.to_string(), literal(v));
                }
            }
            while stack.last().is_some_and(|(d, _)| *d >= depth) {
                let (_, child) = stack.pop().unwrap();
                stack.last_mut().unwrap().1.children.push(child);
            }
            stack.push((depth, o));
        }
        while stack.len() > 1 {
            let (_, child) = stack.pop().unwrap();
            stack.last_mut().unwrap().1.children.push(child);
        }
        stack.pop().unwrap().1
    }

    /// `'text'` is a string, `1.5` or `NaN` a float, anything else an integer.
    fn literal(v: &str) -> Value {
        if let Some(s) = v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            Value::str(s)
        } else if v.contains('.') || v == "NaN" {
            Value::Float(v.parse().unwrap())
        } else {
            Value::Int(v.parse().unwrap_or_else(|_| panic!("not a literal: {v}")))
        }
    }

    /// `a=1 b='x y'` split at spaces outside quotes.
    fn split_args(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut quote = None;
        for c in s.chars() {
            match (c, quote) {
                ('\'', None) => quote = Some(c),
                (q, Some(open)) if q == open => quote = None,
                (' ', None) => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    continue;
                }
                _ => {}
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    /// cypher-shell's own case (PrettyPrinterTest): PROFILE adds Rows, DbHits and the
    /// query's GlobalMemory as `Memory (Bytes)`, in that order.
    #[test]
    fn summary_pairs_follow_cypher_shell() {
        let mut root = op(
            "ProduceResults@system",
            &[
                ("version", Value::str("CYPHER 5")),
                ("planner", Value::str("ADMINISTRATION")),
                ("runtime", Value::str("SYSTEM")),
            ],
            vec![],
        );
        root.profile = Some(Profile {
            rows: 3,
            db_hits: 4,
            ..Profile::default()
        });
        root.arguments.insert("GlobalMemory".into(), Value::Int(10));
        let plan = ExecutionPlan {
            profiled: true,
            query_type: "READ_ONLY".into(),
            root,
        };
        let mut out = Vec::new();
        write_summary_lines(&mut out, &plan, 7).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Plan: \"PROFILE\"\nStatement: \"READ_ONLY\"\nVersion: \"CYPHER 5\"\n\
             Planner: \"ADMINISTRATION\"\nRuntime: \"SYSTEM\"\nTime: 7\nRows: 3\nDbHits: 4\n\
             Memory (Bytes): 10\n"
        );
    }

    #[test]
    fn the_servers_own_rendering_wins() {
        let plan = ExecutionPlan {
            profiled: false,
            query_type: String::new(),
            root: op(
                "ProduceResults@neo4j",
                &[("string-representation", Value::str("Planner COST\n"))],
                vec![],
            ),
        };
        assert_eq!(plan_text(&plan), "Planner COST\n");
    }

    #[test]
    fn a_deep_plan_draws_without_recursion() {
        let mut root = op("Argument", &[], vec![]);
        for _ in 0..10_000 {
            root = op("Apply", &[], vec![root]);
        }
        // A divider and a line per operator and for the header, and the closing divider.
        assert_eq!(format_plan(&root).lines().count(), 10_001 * 2 + 2 + 1);
        // Each level's Drop recurses; unwind it iteratively.
        let mut stack = vec![root];
        while let Some(mut o) = stack.pop() {
            stack.append(&mut o.children);
        }
    }
}
