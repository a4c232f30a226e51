//! The one keyword table of Cypher: every reserved or contextual word Neo4j's lexer knows,
//! shared by the lexer, the parser, the highlighter and the completer.
//!
//! It owns the spelling of each keyword and how a word is looked up (case-insensitively).
//! It must not decide where a keyword may stand: nearly every keyword is also a valid name,
//! and that is the grammar's business.

macro_rules! keywords {
    ($($name:ident = $text:literal,)*) => {
        /// A Cypher keyword. Variant order is alphabetical by spelling, so the derived
        /// order is the order of [`Kw::text`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u16)]
        pub enum Kw {
            $(
                #[doc = concat!("`", $text, "`")]
                $name,
            )*
        }

        /// Every keyword, in declaration order.
        pub const ALL: &[Kw] = &[$(Kw::$name,)*];

        /// Every keyword's spelling, in declaration order (for the tables built at
        /// compile time).
        const TEXTS: &[&str] = &[$($text,)*];

        impl Kw {
            /// The keyword as written in upper case (`LIMIT`, `ALLSHORTESTPATHS`).
            pub fn text(self) -> &'static str {
                match self {
                    $(Kw::$name => $text,)*
                }
            }
        }
    };
}

keywords! {
    Access = "ACCESS",
    Active = "ACTIVE",
    Admin = "ADMIN",
    Administrator = "ADMINISTRATOR",
    Alias = "ALIAS",
    Aliases = "ALIASES",
    AllShortestPaths = "ALLSHORTESTPATHS",
    All = "ALL",
    Alter = "ALTER",
    And = "AND",
    Any = "ANY",
    Array = "ARRAY",
    As = "AS",
    Asc = "ASC",
    Ascending = "ASCENDING",
    Assert = "ASSERT",
    Assign = "ASSIGN",
    At = "AT",
    Auth = "AUTH",
    Bindings = "BINDINGS",
    Bool = "BOOL",
    Boolean = "BOOLEAN",
    Boosted = "BOOSTED",
    Both = "BOTH",
    Break = "BREAK",
    Brief = "BRIEF",
    Btree = "BTREE",
    Built = "BUILT",
    By = "BY",
    Call = "CALL",
    Cascade = "CASCADE",
    Case = "CASE",
    Change = "CHANGE",
    Cidr = "CIDR",
    Collect = "COLLECT",
    Command = "COMMAND",
    Commands = "COMMANDS",
    Commit = "COMMIT",
    Composite = "COMPOSITE",
    Concurrent = "CONCURRENT",
    Constraint = "CONSTRAINT",
    Constraints = "CONSTRAINTS",
    Contains = "CONTAINS",
    Copy = "COPY",
    Continue = "CONTINUE",
    Count = "COUNT",
    Create = "CREATE",
    Csv = "CSV",
    Current = "CURRENT",
    Cypher = "CYPHER",
    Data = "DATA",
    Database = "DATABASE",
    Databases = "DATABASES",
    Date = "DATE",
    Datetime = "DATETIME",
    Dbms = "DBMS",
    Deallocate = "DEALLOCATE",
    Default = "DEFAULT",
    Defined = "DEFINED",
    Delete = "DELETE",
    Deny = "DENY",
    Desc = "DESC",
    Descending = "DESCENDING",
    Destroy = "DESTROY",
    Detach = "DETACH",
    Different = "DIFFERENT",
    Distinct = "DISTINCT",
    Driver = "DRIVER",
    Drop = "DROP",
    Dryrun = "DRYRUN",
    Dump = "DUMP",
    Duration = "DURATION",
    Each = "EACH",
    Edge = "EDGE",
    Enable = "ENABLE",
    Element = "ELEMENT",
    Elements = "ELEMENTS",
    Else = "ELSE",
    Encrypted = "ENCRYPTED",
    End = "END",
    Ends = "ENDS",
    Executable = "EXECUTABLE",
    Execute = "EXECUTE",
    Exist = "EXIST",
    Existence = "EXISTENCE",
    Exists = "EXISTS",
    Expand = "EXPAND",
    Error = "ERROR",
    Fail = "FAIL",
    False = "FALSE",
    Fieldterminator = "FIELDTERMINATOR",
    Filter = "FILTER",
    Finish = "FINISH",
    Float = "FLOAT",
    For = "FOR",
    Foreach = "FOREACH",
    From = "FROM",
    Fulltext = "FULLTEXT",
    Function = "FUNCTION",
    Functions = "FUNCTIONS",
    Grant = "GRANT",
    Graph = "GRAPH",
    Graphs = "GRAPHS",
    Group = "GROUP",
    Groups = "GROUPS",
    Headers = "HEADERS",
    Home = "HOME",
    Id = "ID",
    If = "IF",
    Impersonate = "IMPERSONATE",
    Immutable = "IMMUTABLE",
    In = "IN",
    Index = "INDEX",
    Indexes = "INDEXES",
    Inf = "INF",
    Infinity = "INFINITY",
    Insert = "INSERT",
    Into = "INTO",
    Int = "INT",
    Integer = "INTEGER",
    Is = "IS",
    Join = "JOIN",
    Key = "KEY",
    Label = "LABEL",
    Labels = "LABELS",
    Language = "LANGUAGE",
    Leading = "LEADING",
    Let = "LET",
    Limit = "LIMIT",
    List = "LIST",
    Load = "LOAD",
    Local = "LOCAL",
    Lookup = "LOOKUP",
    Management = "MANAGEMENT",
    Map = "MAP",
    Match = "MATCH",
    Merge = "MERGE",
    Name = "NAME",
    Names = "NAMES",
    Nan = "NAN",
    Nfc = "NFC",
    Nfd = "NFD",
    Nfkc = "NFKC",
    Nfkd = "NFKD",
    New = "NEW",
    Next = "NEXT",
    Node = "NODE",
    Nodetach = "NODETACH",
    Nodes = "NODES",
    None = "NONE",
    Normalize = "NORMALIZE",
    Normalized = "NORMALIZED",
    Not = "NOT",
    Nothing = "NOTHING",
    Nowait = "NOWAIT",
    Null = "NULL",
    Of = "OF",
    Offset = "OFFSET",
    On = "ON",
    Only = "ONLY",
    Optional = "OPTIONAL",
    Options = "OPTIONS",
    Option = "OPTION",
    Or = "OR",
    Order = "ORDER",
    Output = "OUTPUT",
    Password = "PASSWORD",
    Passwords = "PASSWORDS",
    Path = "PATH",
    Paths = "PATHS",
    Periodic = "PERIODIC",
    Plaintext = "PLAINTEXT",
    Point = "POINT",
    Populated = "POPULATED",
    Primary = "PRIMARY",
    Primaries = "PRIMARIES",
    Privilege = "PRIVILEGE",
    Privileges = "PRIVILEGES",
    Procedure = "PROCEDURE",
    Procedures = "PROCEDURES",
    Properties = "PROPERTIES",
    Property = "PROPERTY",
    Provider = "PROVIDER",
    Providers = "PROVIDERS",
    Range = "RANGE",
    Read = "READ",
    Reallocate = "REALLOCATE",
    Reduce = "REDUCE",
    Rename = "RENAME",
    Rel = "REL",
    Relationship = "RELATIONSHIP",
    Relationships = "RELATIONSHIPS",
    Remove = "REMOVE",
    Repeatable = "REPEATABLE",
    Replace = "REPLACE",
    Replica = "REPLICA",
    Replicas = "REPLICAS",
    Report = "REPORT",
    Require = "REQUIRE",
    Required = "REQUIRED",
    Restrict = "RESTRICT",
    Retry = "RETRY",
    Return = "RETURN",
    Revoke = "REVOKE",
    Role = "ROLE",
    Roles = "ROLES",
    Row = "ROW",
    Rows = "ROWS",
    Rule = "RULE",
    Scan = "SCAN",
    Search = "SEARCH",
    Sec = "SEC",
    Second = "SECOND",
    Secondary = "SECONDARY",
    Secondaries = "SECONDARIES",
    Seconds = "SECONDS",
    Secrets = "SECRETS",
    Seek = "SEEK",
    Server = "SERVER",
    Servers = "SERVERS",
    Set = "SET",
    Setting = "SETTING",
    Settings = "SETTINGS",
    Shard = "SHARD",
    Shards = "SHARDS",
    ShortestPath = "SHORTESTPATH",
    Shortest = "SHORTEST",
    Show = "SHOW",
    Signed = "SIGNED",
    Single = "SINGLE",
    Skip = "SKIP",
    Start = "START",
    Starts = "STARTS",
    Status = "STATUS",
    Stop = "STOP",
    String = "STRING",
    Supported = "SUPPORTED",
    Suspended = "SUSPENDED",
    Target = "TARGET",
    Terminate = "TERMINATE",
    Text = "TEXT",
    Then = "THEN",
    Time = "TIME",
    Timestamp = "TIMESTAMP",
    Timezone = "TIMEZONE",
    To = "TO",
    Topology = "TOPOLOGY",
    Trailing = "TRAILING",
    Transaction = "TRANSACTION",
    Transactions = "TRANSACTIONS",
    Traverse = "TRAVERSE",
    Trim = "TRIM",
    True = "TRUE",
    Type = "TYPE",
    Typed = "TYPED",
    Types = "TYPES",
    Union = "UNION",
    Unique = "UNIQUE",
    Uniqueness = "UNIQUENESS",
    Unwind = "UNWIND",
    Url = "URL",
    Use = "USE",
    User = "USER",
    Users = "USERS",
    Using = "USING",
    Value = "VALUE",
    Varchar = "VARCHAR",
    Via = "VIA",
    Vector = "VECTOR",
    Verbose = "VERBOSE",
    Vertex = "VERTEX",
    Wait = "WAIT",
    When = "WHEN",
    Where = "WHERE",
    With = "WITH",
    Without = "WITHOUT",
    Write = "WRITE",
    Xor = "XOR",
    Yield = "YIELD",
    Zone = "ZONE",
    Zoned = "ZONED",
}

/// Number of keywords.
pub const COUNT: usize = ALL.len();

impl Kw {
    /// The keyword spelled `word` (any case), if it is one.
    pub fn lookup(word: &str) -> Option<Kw> {
        let bytes = word.as_bytes();
        if bytes.len() < 2 || bytes.len() > MAX_LEN || !bytes[0].is_ascii_alphabetic() {
            return None;
        }
        // Every keyword is letters only, so a word with any other character is none of
        // them: it is refused while its upper-case spelling is built.
        let mut buf = [0u8; MAX_LEN];
        for (b, &c) in buf.iter_mut().zip(bytes) {
            let upper = c & !0x20;
            if !upper.is_ascii_uppercase() {
                return None;
            }
            *b = upper;
        }
        Kw::lookup_upper(&buf)
    }

    /// The keyword whose upper-case spelling is `buf` (zero-padded), if it is one. `buf`
    /// must hold upper-case ASCII letters only, at least two: what [`Kw::lookup`] builds,
    /// and what the lexer builds while it reads a word.
    pub(super) fn lookup_upper(buf: &[u8; MAX_LEN]) -> Option<Kw> {
        Kw::lookup_words(&words(buf))
    }

    /// [`Kw::lookup_upper`] of the spelling given as three little-endian words (bytes
    /// 0–7, 8–15, 16–23 of the zero-padded buffer), as the lexer builds it.
    pub(super) fn lookup_words(key: &[u64; 3]) -> Option<Kw> {
        // The lexer looks up every word it reads: one probe (rarely two) of an
        // open-addressed index by a hash of the zero-padded spelling, each probe a
        // comparison of three machine words. Both tables are built at compile time, so
        // a look-up neither checks nor waits for an initialisation.
        let mut slot = slot_of(key);
        loop {
            let k = SLOT_KEYWORD[slot];
            let spelling = KEYS.get(usize::from(k))?;
            if spelling == key {
                return ALL.get(usize::from(k)).copied();
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
    }

    /// How Neo4j names the keyword in an "expected" list: `'MATCH'`, and the few words
    /// whose display differs from their spelling (`'allShortestPaths'`).
    pub fn display(self) -> &'static str {
        match self {
            Kw::AllShortestPaths => "'allShortestPaths'",
            Kw::ShortestPath => "'shortestPath'",
            _ => DISPLAY[self as usize],
        }
    }
}

/// The longest keyword's length.
pub(super) const MAX_LEN: usize = 24;

/// Slots of the keyword table: a power of two, about four per keyword, so probes are short.
const SLOTS: usize = 1024;

/// An empty slot of [`SLOT_KEYWORD`].
const NONE: u16 = u16::MAX;

/// The first slot to probe for a spelling given as [`words`].
const fn slot_of(key: &[u64; 3]) -> usize {
    let h = (key[0] ^ key[1].rotate_left(21) ^ key[2].rotate_left(42))
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> 54) as usize & (SLOTS - 1)
}

/// A spelling of at most [`MAX_LEN`] bytes, zero-padded, as three machine words.
fn words(buf: &[u8; MAX_LEN]) -> [u64; 3] {
    let mut out = [0u64; 3];
    for (w, chunk) in out.iter_mut().zip(buf.chunks_exact(8)) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        *w = u64::from_le_bytes(b);
    }
    out
}

/// `text`'s upper-case spelling as [`words`] builds it.
const fn key_of(text: &str) -> [u64; 3] {
    let bytes = text.as_bytes();
    let mut out = [0u64; 3];
    let mut i = 0;
    while i < bytes.len() {
        out[i / 8] |= (bytes[i].to_ascii_uppercase() as u64) << (8 * (i % 8));
        i += 1;
    }
    out
}

/// Every keyword's upper-case spelling as [`words`], by keyword number (its place in
/// [`ALL`]).
static KEYS: [[u64; 3]; COUNT] = KEY_TABLE;

/// [`KEYS`] as a constant, for building [`SLOT_KEYWORD`].
const KEY_TABLE: [[u64; 3]; COUNT] = {
    let mut keys = [[0u64; 3]; COUNT];
    let mut i = 0;
    while i < COUNT {
        keys[i] = key_of(TEXTS[i]);
        i += 1;
    }
    keys
};

/// The keyword number of every slot: each keyword placed by [`slot_of`] with linear
/// probing; empty slots hold [`NONE`].
static SLOT_KEYWORD: [u16; SLOTS] = {
    let mut table = [NONE; SLOTS];
    let mut i = 0;
    while i < COUNT {
        let mut slot = slot_of(&KEY_TABLE[i]);
        while table[slot] != NONE {
            slot = (slot + 1) & (SLOTS - 1);
        }
        table[slot] = i as u16;
        i += 1;
    }
    table
};

/// `'TEXT'` for every keyword, built once.
static DISPLAY: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    ALL.iter()
        .map(|k| &*Box::leak(format!("'{}'", k.text()).into_boxed_str()))
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_exact() {
        assert_eq!(Kw::lookup("match"), Some(Kw::Match));
        assert_eq!(Kw::lookup("MaTcH"), Some(Kw::Match));
        assert_eq!(Kw::lookup("matches"), None);
        assert_eq!(Kw::lookup("limit"), Some(Kw::Limit));
        assert_eq!(Kw::lookup("allShortestPaths"), Some(Kw::AllShortestPaths));
        assert_eq!(Kw::lookup("é"), None);
        assert_eq!(Kw::lookup("x"), None);
        // Characters whose upper-casing by bit would make a letter are not letters.
        assert_eq!(Kw::lookup("M@TCH"), None);
        assert_eq!(Kw::lookup("MATC\u{7f}"), None);
        assert_eq!(Kw::lookup("match1"), None);
        assert_eq!(Kw::lookup("ma_tch"), None);
    }

    #[test]
    fn every_keyword_is_found_by_its_text() {
        for k in ALL {
            assert_eq!(Kw::lookup(k.text()), Some(*k), "{}", k.text());
            assert!(k.text().len() <= MAX_LEN);
        }
        assert_eq!(COUNT, 281);
        assert_eq!(Kw::Match.display(), "'MATCH'");
    }
}
