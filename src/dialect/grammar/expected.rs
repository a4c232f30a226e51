//! What a syntax error says was expected, and in which order: Neo4j's rule names first
//! (`a database name`, `an expression`, ...) sorted alphabetically, then tokens — keywords
//! as `'MATCH'`, keyword runs as `'ORDER BY'`, symbols as `','` — sorted by their display
//! names read from the last word back (so `'ORDER BY'` sits at `BY`), then `<EOF>` and the
//! token classes (`an integer value`).
//!
//! It owns the items, the bitset that collects them cheaply while parsing, and the message
//! text. It must not know the grammar: the parser decides what it records where.

use crate::dialect::lexer::{Kw, Tok, keywords};

/// One thing an error may list as expected (or tab completion may offer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item(u16);

/// Rule names Neo4j prints instead of the tokens they start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// `an expression`
    Expression,
    /// `a string`
    String,
    /// `a number`
    Number,
    /// `a parameter`
    Parameter,
    /// `a variable name`
    Variable,
    /// `an identifier`
    Identifier,
    /// `a node label name`
    NodeLabel,
    /// `a relationship type name`
    RelType,
    /// `a node label/relationship type name`
    LabelOrRelType,
    /// `a database name`
    DatabaseName,
    /// `a graph pattern`
    GraphPattern,
    /// A name inside a label expression, before the frames it passed through name it
    /// (resolved to one of the three label forms above).
    LabelName,
    /// A label name that passed through a label expression.
    LabelNameInExpr,
    /// ... and then a node pattern.
    LabelNameInNode,
    /// ... or a relationship pattern.
    LabelNameInRel,
}

const RULES: &[(Rule, &str)] = &[
    (Rule::Expression, "an expression"),
    (Rule::String, "a string"),
    (Rule::Number, "a number"),
    (Rule::Parameter, "a parameter"),
    (Rule::Variable, "a variable name"),
    (Rule::Identifier, "an identifier"),
    (Rule::NodeLabel, "a node label name"),
    (Rule::RelType, "a relationship type name"),
    (Rule::LabelOrRelType, "a node label/relationship type name"),
    (Rule::DatabaseName, "a database name"),
    (Rule::GraphPattern, "a graph pattern"),
    (Rule::LabelName, "a node label/relationship type name"),
    (Rule::LabelNameInExpr, "a node label/relationship type name"),
    (Rule::LabelNameInNode, "a node label name"),
    (Rule::LabelNameInRel, "a relationship type name"),
];

/// Things only tab completion cares about: what kind of name the cursor is on. They never
/// appear in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hint {
    /// A procedure name (after CALL).
    Procedure,
    /// A function name.
    Function,
    /// A server name or id (a string).
    Server,
    /// A user name.
    User,
    /// A role name.
    Role,
    /// A database or alias name.
    Database,
    /// A property key.
    PropertyKey,
    /// A column a SHOW command yields.
    Column,
    /// A variable in scope.
    Variable,
    /// A `$parameter`.
    Parameter,
}

const HINTS: &[Hint] = &[
    Hint::Procedure,
    Hint::Function,
    Hint::Server,
    Hint::User,
    Hint::Role,
    Hint::Database,
    Hint::PropertyKey,
    Hint::Column,
    Hint::Variable,
    Hint::Parameter,
];

/// Tokens other than keywords, with their display names.
const TOKENS: &[(Tok, &str)] = &[
    (Tok::Ident, "an identifier"),
    (Tok::Escaped, "an identifier"),
    (Tok::Str, "a string value"),
    (Tok::Int, "an integer value"),
    (Tok::Hex, "a hexadecimal integer value"),
    (Tok::Octal, "an octal integer value"),
    (Tok::Float, "a float value"),
    (Tok::LParen, "'('"),
    (Tok::RParen, "')'"),
    (Tok::LBracket, "'['"),
    (Tok::RBracket, "']'"),
    (Tok::LCurly, "'{'"),
    (Tok::RCurly, "'}'"),
    (Tok::Comma, "','"),
    (Tok::Dot, "'.'"),
    (Tok::DotDot, "'..'"),
    (Tok::Colon, "':'"),
    (Tok::ColonColon, "'::'"),
    (Tok::Semicolon, "';'"),
    (Tok::Dollar, "'$'"),
    (Tok::Eq, "'='"),
    (Tok::Neq, "'<>'"),
    (Tok::InvalidNeq, "'!='"),
    (Tok::Le, "'<='"),
    (Tok::Ge, "'>='"),
    (Tok::Lt, "'<'"),
    (Tok::Gt, "'>'"),
    (Tok::Plus, "'+'"),
    (Tok::PlusEq, "'+='"),
    (Tok::Minus, "'-'"),
    (Tok::Times, "'*'"),
    (Tok::Divide, "'/'"),
    (Tok::Percent, "'%'"),
    (Tok::Pow, "'^'"),
    (Tok::RegEq, "'=~'"),
    (Tok::Bar, "'|'"),
    (Tok::DoubleBar, "'||'"),
    (Tok::Ampersand, "'&'"),
    (Tok::Bang, "'!'"),
    (Tok::Question, "'?'"),
    (Tok::ArrowLine, "'-'"),
    (Tok::ArrowLeft, "'<'"),
    (Tok::ArrowRight, "'>'"),
    (Tok::Obfuscation, "'******'"),
    (Tok::Eof, "<EOF>"),
];

macro_rules! sequences {
    ($($name:ident = [$($kw:ident),+],)*) => {
        /// Runs of keywords that always follow each other, listed as one item
        /// (`'ORDER BY'`, `'IF NOT EXISTS'`), as Neo4j's completion core reports them.
        const SEQUENCES: &[&[Kw]] = &[$(&[$(Kw::$kw),+],)*];
        sequences!(@consts 0u16; $($name,)*);
    };
    (@consts $n:expr; $name:ident, $($rest:ident,)*) => {
        #[allow(missing_docs)]
        pub const $name: Item = Item(SEQ_BASE + $n);
        sequences!(@consts $n + 1u16; $($rest,)*);
    };
    (@consts $n:expr;) => {};
}

sequences! {
    ORDER_BY = [Order, By],
    GROUP_BY = [Group, By],
    REPLICA_DATABASE = [Replica, Database],
    AUTH_RULE = [Auth, Rule],
    GRAPH_SHARD = [Graph, Shard],
    LOAD_CSV = [Load, Csv],
    WITH_HEADERS = [With, Headers],
    START_DATABASE = [Start, Database],
    STOP_DATABASE = [Stop, Database],
    ENABLE_SERVER = [Enable, Server],
    USING_PERIODIC_COMMIT = [Using, Periodic, Commit],
    IF_NOT_EXISTS = [If, Not, Exists],
    IF_EXISTS = [If, Exists],
    OR_REPLACE = [Or, Replace],
    DEFAULT_LANGUAGE_CYPHER = [Default, Language, Cypher],
    STARTS_WITH = [Starts, With],
    ENDS_WITH = [Ends, With],
    ON_EACH = [On, Each],
    ON_ERROR = [On, Error],
    REPORT_STATUS_AS = [Report, Status, As],
    JOIN_ON = [Join, On],
    AS_COPY_OF = [As, Copy, Of],
    CURRENT_USER = [Current, User],
    CURRENT_USER_SET_PASSWORD_FROM = [Current, User, Set, Password, From],
    HOME_DATABASE = [Home, Database],
    FOR_DATABASE = [For, Database],
    SET_DATABASE = [Set, Database],
    ACCESS_READ = [Access, Read],
    BUILT_IN = [Built, In],
    USER_DEFINED = [User, Defined],
    WITH_AUTH = [With, Auth],
    PROPERTY_TYPE = [Property, Type],
    PROPERTY_VALUE = [Property, Value],
    NODE_KEY = [Node, Key],
    IS_NOT_NULL = [Is, Not, Null],
    ASSERT_EXISTS = [Assert, Exists],
    REMOVE_OPTION = [Remove, Option],
    TIME_ZONE = [Time, Zone],
    LOAD_ON = [Load, On],
    WRITE_ON = [Write, On],
    CHANGE_REQUIRED = [Change, Required],
    ALL_AUTH = [All, Auth],
    BTREE_INDEX = [Btree, Index],
    RANGE_INDEX = [Range, Index],
    TEXT_INDEX = [Text, Index],
    POINT_INDEX = [Point, Index],
    VECTOR_INDEX = [Vector, Index],
    LOOKUP_INDEX = [Lookup, Index],
    FULLTEXT_INDEX = [Fulltext, Index],
    ALL_DATA = [All, Data],
    SET_OPTIONS = [Set, Options],
    COMPOSITE_DATABASE = [Composite, Database],
    DEFAULT_DATABASE = [Default, Database],
    NOT_EXISTS = [Not, Exists],
    LANGUAGE_CYPHER = [Language, Cypher],
    PERIODIC_COMMIT = [Periodic, Commit],
    USER_SET_PASSWORD_FROM = [User, Set, Password, From],
    SET_PASSWORD_FROM = [Set, Password, From],
    PASSWORD_FROM = [Password, From],
    STATUS_AS = [Status, As],
    COPY_OF = [Copy, Of],
    ON_DBMS = [On, Dbms],
    HOME_GRAPH = [Home, Graph],
    DEFAULT_GRAPH = [Default, Graph],
    DEFAULT_LANGUAGE = [Default, Language],
}

/// The keywords of a run item (`ORDER_BY` gives `[ORDER, BY]`); a keyword item gives
/// itself; other items give nothing.
pub fn sequence_words(item: Item) -> &'static [Kw] {
    match item.what() {
        What::Keywords(ks) => ks,
        _ => &[],
    }
}

/// The run of words of `seq` from word `from` on, when that run is an item of its own
/// (`'NOT EXISTS'` after the IF of `IF NOT EXISTS`).
pub fn suffix(seq: Item, from: usize) -> Option<Item> {
    let words = sequence_words(seq);
    let rest = words.get(from..)?;
    if rest.len() < 2 {
        return None;
    }
    SEQUENCES
        .iter()
        .position(|s| *s == rest)
        .map(|i| Item(SEQ_BASE + i as u16))
}

const KW_BASE: u16 = 0;
const TOK_BASE: u16 = keywords::COUNT as u16;
const SEQ_BASE: u16 = TOK_BASE + TOKENS.len() as u16;
const RULE_BASE: u16 = SEQ_BASE + SEQUENCES.len() as u16;
const HINT_BASE: u16 = RULE_BASE + RULES.len() as u16;
const TOTAL: usize = HINT_BASE as usize + HINTS.len();
const WORDS: usize = TOTAL.div_ceil(64);

/// Every hint item: the items from `HINT_BASE` to the end.
const HINT_MASK: ItemSet = {
    let mut words = [0u64; WORDS];
    let mut n = HINT_BASE as usize;
    while n < TOTAL {
        words[n / 64] |= 1 << (n % 64);
        n += 1;
    }
    ItemSet(words)
};

impl Item {
    /// The item for a keyword.
    pub const fn kw(k: Kw) -> Item {
        Item(KW_BASE + k as u16)
    }

    /// The item for a token kind (a keyword kind gives the keyword's item).
    pub fn tok(t: Tok) -> Item {
        // The parser asks this of every token it misses at the furthest position: a
        // match on the kind, not a scan of `TOKENS` (a test keeps the two in step).
        let i = match t {
            Tok::Kw(k) => return Item::kw(k),
            Tok::Escaped => 1,
            Tok::Str => 2,
            Tok::Int => 3,
            Tok::Hex => 4,
            Tok::Octal => 5,
            Tok::Float => 6,
            Tok::LParen => 7,
            Tok::RParen => 8,
            Tok::LBracket => 9,
            Tok::RBracket => 10,
            Tok::LCurly => 11,
            Tok::RCurly => 12,
            Tok::Comma => 13,
            Tok::Dot => 14,
            Tok::DotDot => 15,
            Tok::Colon => 16,
            Tok::ColonColon => 17,
            Tok::Semicolon => 18,
            Tok::Dollar => 19,
            Tok::Eq => 20,
            Tok::Neq => 21,
            Tok::InvalidNeq => 22,
            Tok::Le => 23,
            Tok::Ge => 24,
            Tok::Lt => 25,
            Tok::Gt => 26,
            Tok::Plus => 27,
            Tok::PlusEq => 28,
            Tok::Minus => 29,
            Tok::Times => 30,
            Tok::Divide => 31,
            Tok::Percent => 32,
            Tok::Pow => 33,
            Tok::RegEq => 34,
            Tok::Bar => 35,
            Tok::DoubleBar => 36,
            Tok::Ampersand => 37,
            Tok::Bang => 38,
            Tok::Question => 39,
            Tok::ArrowLine => 40,
            Tok::ArrowLeft => 41,
            Tok::ArrowRight => 42,
            Tok::Obfuscation => 43,
            Tok::Eof => 44,
            // Not in `TOKENS`: read as its first entry, an identifier.
            Tok::Ident | Tok::Error | Tok::Comment => 0,
        };
        Item(TOK_BASE + i)
    }

    /// The item for a rule name.
    pub fn rule(r: Rule) -> Item {
        let i = RULES.iter().position(|(k, _)| *k == r).unwrap_or(0);
        Item(RULE_BASE + i as u16)
    }

    /// The item for a completion hint.
    pub fn hint(h: Hint) -> Item {
        let i = HINTS.iter().position(|k| *k == h).unwrap_or(0);
        Item(HINT_BASE + i as u16)
    }

    /// What the item is, for completion and messages.
    pub fn what(self) -> What {
        let n = self.0;
        if n < TOK_BASE {
            What::Keywords(std::slice::from_ref(&keywords::ALL[(n - KW_BASE) as usize]))
        } else if n < SEQ_BASE {
            What::Token(TOKENS[(n - TOK_BASE) as usize].0)
        } else if n < RULE_BASE {
            What::Keywords(SEQUENCES[(n - SEQ_BASE) as usize])
        } else if n < HINT_BASE {
            What::Rule(RULES[(n - RULE_BASE) as usize].0)
        } else {
            What::Hint(HINTS[(n - HINT_BASE) as usize])
        }
    }

    /// How the item reads in a message; `None` for hints.
    pub fn display(self) -> Option<String> {
        match self.what() {
            What::Keywords([k]) => Some(k.display().to_string()),
            What::Keywords(ks) => Some(format!(
                "'{}'",
                ks.iter().map(|k| k.text()).collect::<Vec<_>>().join(" ")
            )),
            What::Token(t) => TOKENS
                .iter()
                .find(|(k, _)| *k == t)
                .map(|(_, d)| d.to_string()),
            What::Rule(r) => RULES
                .iter()
                .find(|(k, _)| *k == r)
                .map(|(_, d)| d.to_string()),
            What::Hint(_) => None,
        }
    }

    /// The display name of a token item (`'('`, `<EOF>`), borrowed from the token table.
    pub fn token_display(self) -> Option<&'static str> {
        match self.what() {
            What::Token(t) => TOKENS.iter().find(|(k, _)| *k == t).map(|(_, d)| *d),
            _ => None,
        }
    }

    /// The order of tokens in a message: display names from the last word back.
    fn sort_key(self) -> Vec<&'static str> {
        match self.what() {
            What::Keywords(ks) => ks.iter().rev().map(|k| k.display()).collect(),
            What::Token(t) => TOKENS
                .iter()
                .find(|(k, _)| *k == t)
                .map(|(_, d)| vec![*d])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }
}

/// What an [`Item`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// One keyword, or a run of keywords always written together.
    Keywords(&'static [Kw]),
    /// A symbol or a token class.
    Token(Tok),
    /// A rule name.
    Rule(Rule),
    /// A completion hint.
    Hint(Hint),
}

/// A set of items: a fixed bitset, so that recording what was expected at every position
/// costs a few word operations on the success path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemSet([u64; WORDS]);

impl ItemSet {
    /// The empty set.
    pub const EMPTY: ItemSet = ItemSet([0; WORDS]);

    /// Adds one item.
    #[inline]
    pub fn insert(&mut self, item: Item) {
        let n = item.0 as usize;
        self.0[n / 64] |= 1 << (n % 64);
    }

    /// True when the item is in the set.
    pub fn contains(&self, item: Item) -> bool {
        let n = item.0 as usize;
        self.0[n / 64] & (1 << (n % 64)) != 0
    }

    /// Adds every item of `other`.
    #[inline]
    pub fn union(&mut self, other: &ItemSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    /// True when nothing is in the set.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Every item, in index order.
    pub fn items(&self) -> impl Iterator<Item = Item> + '_ {
        // Only the set bits are visited: a word at a time, lowest bit first.
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(Item((w * 64) as u16 + b as u16))
            })
        })
    }

    /// The completion hints of the set (they survive a named rule's folding).
    #[inline]
    pub fn hints(&self) -> ItemSet {
        let mut out = *self;
        for (a, m) in out.0.iter_mut().zip(HINT_MASK.0) {
            *a &= m;
        }
        out
    }

    /// Rewrites label names that passed through a frame of the given kind.
    pub fn relabel(&mut self, from: Rule, to: Rule) {
        let (f, t) = (Item::rule(from), Item::rule(to));
        if self.contains(f) {
            let n = f.0 as usize;
            self.0[n / 64] &= !(1 << (n % 64));
            self.insert(t);
        }
    }

    /// The "expected ..." list of a message: rules first, alphabetically, then tokens in
    /// Neo4j's order; duplicates (two tokens shown alike) once. Read from a table sorted
    /// once (the error path builds one message per failed statement, so sorting and
    /// formatting per message doubled its cost).
    ///
    /// Only the set's own items are visited (a message lists a handful of the ~600), each
    /// placed by its rank in the table, so a message costs what it lists. Each text is
    /// handed to `each` in order, after a `, ` (no list is built: the message is written as
    /// it comes).
    fn describe(&self, mut each: impl FnMut(&'static str)) {
        let table = display_table();
        let rank = display_rank();
        let first = first_with_text();
        // The set's items by rank, as bits: read back lowest first, they come in the
        // table's order without a sort.
        let mut by_rank = [0u64; WORDS];
        for (w, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let item = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(&r) = rank.get(item)
                    && let Some(word) = by_rank.get_mut(usize::from(r) / 64)
                {
                    // `u16::MAX` (never displayed) is past the last word.
                    *word |= 1 << (r % 64);
                }
            }
        }
        // A text two items share is listed once, where it first comes: texts are told
        // apart by the first entry of the table that has them, not by comparing strings.
        let mut listed = [0u64; WORDS];
        for (w, &word) in by_rank.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let r = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (Some((_, text)), Some(&f)) = (table.get(r), first.get(r)) else {
                    continue;
                };
                let (fw, fb) = (usize::from(f) / 64, f % 64);
                if let Some(seen) = listed.get_mut(fw)
                    && *seen & (1 << fb) == 0
                {
                    *seen |= 1 << fb;
                    each(text.as_str());
                }
            }
        }
    }
}

/// Every displayable item with its text after a `, ` separator (a message writes each item
/// but the first with one copy), in the order messages list them: rules first,
/// alphabetically, then tokens by their sort key.
fn display_table() -> &'static [(u16, String)] {
    static TABLE: std::sync::LazyLock<Vec<(u16, String)>> = std::sync::LazyLock::new(|| {
        let mut rules = Vec::new();
        let mut tokens = Vec::new();
        for n in 0..TOTAL as u16 {
            let item = Item(n);
            let Some(text) = item.display() else {
                continue;
            };
            match item.what() {
                What::Rule(_) => rules.push((text, n)),
                _ => tokens.push((item.sort_key(), text, n)),
            }
        }
        rules.sort();
        tokens.sort();
        rules
            .into_iter()
            .map(|(t, n)| (n, t))
            .chain(tokens.into_iter().map(|(_, t, n)| (n, t)))
            .map(|(n, t)| (n, format!(", {t}")))
            .collect()
    });
    &TABLE
}

/// Each item's place in [`display_table`] (`u16::MAX` for items never displayed).
fn display_rank() -> &'static [u16] {
    static RANK: std::sync::LazyLock<Vec<u16>> = std::sync::LazyLock::new(|| {
        let mut rank = vec![u16::MAX; TOTAL];
        for (i, (n, _)) in display_table().iter().enumerate() {
            if let Some(slot) = rank.get_mut(usize::from(*n)) {
                *slot = i as u16;
            }
        }
        rank
    });
    &RANK
}

/// For each entry of [`display_table`], the first entry with the same text.
fn first_with_text() -> &'static [u16] {
    static FIRST: std::sync::LazyLock<Vec<u16>> = std::sync::LazyLock::new(|| {
        let table = display_table();
        let mut first: std::collections::HashMap<&str, u16> = std::collections::HashMap::new();
        table
            .iter()
            .enumerate()
            .map(|(i, (_, text))| *first.entry(text.as_str()).or_insert(i as u16))
            .collect()
    });
    &FIRST
}

/// `Invalid input 'X': expected A, B or C` (or without the list when nothing was
/// expected), written into one string.
pub fn invalid_input(offender: &str, expected: &ItemSet) -> String {
    let mut out = String::with_capacity(160 + offender.len());
    out.push_str("Invalid input '");
    if offender.contains(['\n', '\r', '\t']) {
        for c in offender.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(offender);
    }
    out.push('\'');
    // `A, B, C`, the last separator ` or `: each text is written when the next one
    // comes (or the list ends), so its separator is known when it is written.
    let mut pending: Option<&str> = None;
    let mut first = true;
    expected.describe(|separated| {
        if let Some(prev) = pending.replace(separated) {
            if first {
                first = false;
                out.push_str(": expected ");
                out.push_str(prev.get(2..).unwrap_or_default());
            } else {
                out.push_str(prev);
            }
        }
    });
    if let Some(last) = pending {
        let text = last.get(2..).unwrap_or_default();
        out.push_str(if first { ": expected " } else { " or " });
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_items_follow_the_token_table() {
        for (i, (t, _)) in TOKENS.iter().enumerate() {
            assert_eq!(Item::tok(*t), Item(TOK_BASE + i as u16), "{t:?}");
        }
        assert_eq!(Item::tok(Tok::Error), Item::tok(Tok::Ident));
    }

    fn set(items: &[Item]) -> ItemSet {
        let mut s = ItemSet::EMPTY;
        for i in items {
            s.insert(*i);
        }
        s
    }

    #[test]
    fn order_follows_neo4j() {
        let s = set(&[
            Item::kw(Kw::Call),
            ORDER_BY,
            Item::kw(Kw::Alter),
            LOAD_CSV,
            Item::kw(Kw::Create),
            Item::tok(Tok::Eof),
            Item::tok(Tok::Comma),
            Item::rule(Rule::Expression),
            Item::kw(Kw::As),
        ]);
        assert_eq!(
            invalid_input("ASl", &s),
            "Invalid input 'ASl': expected an expression, ',', 'ALTER', 'AS', 'ORDER BY', \
             'CALL', 'CREATE', 'LOAD CSV' or <EOF>"
        );
    }

    #[test]
    fn classes_sort_after_eof_and_duplicates_collapse() {
        let s = set(&[
            Item::rule(Rule::Parameter),
            Item::tok(Tok::Int),
            Item::tok(Tok::Minus),
            Item::tok(Tok::ArrowLine),
        ]);
        assert_eq!(
            invalid_input("", &s),
            "Invalid input '': expected a parameter, '-' or an integer value"
        );
        assert_eq!(
            invalid_input("a\nb", &ItemSet::EMPTY),
            "Invalid input 'a\\nb'"
        );
    }

    #[test]
    fn items_round_trip() {
        assert_eq!(Item::kw(Kw::Match).what(), What::Keywords(&[Kw::Match]));
        assert_eq!(Item::tok(Tok::Comma).what(), What::Token(Tok::Comma));
        assert_eq!(IF_NOT_EXISTS.display().unwrap(), "'IF NOT EXISTS'");
        assert_eq!(Item::hint(Hint::Server).display(), None);
        const { assert!(TOTAL <= WORDS * 64) };
    }
}
