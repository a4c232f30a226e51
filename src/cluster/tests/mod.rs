//! Tests of the embedded cluster through the AST (the text parser is another part):
//! small statement constructors, the seed behaviours, refusal rules, rollback, and
//! property tests of the invariants.

mod invariants;
mod paging;
mod seeds;

use super::{Cluster, Config, FixedEnv, MemoryStore, Session};
use crate::dialect::Params;
use crate::dialect::ast::*;
use crate::error::Neo4jError;
use crate::result::QueryResult;
use crate::value::Value;

pub fn name(n: &str) -> NameOrParam {
    NameOrParam::Name(SymbolicName {
        parts: vec![n.to_string()],
        offset: 0,
    })
}

pub fn lit(s: &str) -> StringOrParam {
    StringOrParam::Literal(s.to_string())
}

pub fn topology(p: i64, s: i64) -> Topology {
    Topology {
        primaries: Some(IntOrParam::Literal(p)),
        secondaries: Some(IntOrParam::Literal(s)),
    }
}

pub fn create_db(n: &str, p: i64, s: i64) -> Statement {
    Statement::CreateDatabase(CreateDatabase {
        name: name(n),
        or_replace: false,
        if_not_exists: false,
        default_language: None,
        topology: Some(topology(p, s)),
        shards: None,
        options: None,
        wait: Wait::NoWait,
    })
}

pub fn create_db_default(n: &str) -> Statement {
    Statement::CreateDatabase(CreateDatabase {
        name: name(n),
        or_replace: false,
        if_not_exists: false,
        default_language: None,
        topology: None,
        shards: None,
        options: None,
        wait: Wait::NoWait,
    })
}

pub fn alter_topology(n: &str, p: i64, s: i64) -> Statement {
    Statement::AlterDatabase(AlterDatabase {
        name: name(n),
        if_exists: false,
        alterations: vec![DatabaseAlteration::Topology(topology(p, s))],
        wait: Wait::NoWait,
    })
}

pub fn drop_db(n: &str) -> Statement {
    Statement::DropDatabase(DropDatabase {
        name: name(n),
        composite: false,
        if_exists: false,
        cascade_aliases: false,
        data: DropData::Destroy,
        wait: Wait::NoWait,
    })
}

pub fn stop_db(n: &str) -> Statement {
    Statement::StopDatabase(StartStopDatabase {
        name: name(n),
        wait: Wait::NoWait,
    })
}

pub fn show(kind: ShowKind) -> Statement {
    Statement::Show(Box::new(Show {
        kind,
        yield_: None,
        where_: None,
        return_: None,
    }))
}

pub fn show_yield(kind: ShowKind, cols: &[&str]) -> Statement {
    Statement::Show(Box::new(Show {
        kind,
        yield_: Some(Yield {
            items: Some(
                cols.iter()
                    .map(|c| ProjectionItem {
                        expr: Expr::variable(c.to_string()),
                        alias: None,
                        text: c.to_string(),
                    })
                    .collect(),
            ),
            tail: OrderSkipLimit::default(),
            where_: None,
        }),
        where_: None,
        return_: None,
    }))
}

pub fn call(proc_name: &str, args: Vec<Value>) -> Statement {
    Statement::Call(Box::new(Call {
        procedure: proc_name.to_string(),
        offset: 0,
        args: Some(args.into_iter().map(Expr::literal).collect()),
        yield_: None,
        return_: None,
    }))
}

pub fn map(items: &[(&str, Value)]) -> Value {
    Value::Map(
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

pub fn add_server(id: &str, address: &str) -> Statement {
    call(
        "sim.addServer",
        vec![map(&[
            ("serverId", Value::str(id)),
            ("address", Value::str(address)),
        ])],
    )
}

pub fn enable(id: &str) -> Statement {
    Statement::EnableServer(EnableServer {
        server: lit(id),
        options: None,
    })
}

pub fn deallocate(dry: bool, servers: &[&str]) -> Statement {
    Statement::DeallocateDatabases(DeallocateDatabases {
        dry_run: dry,
        servers: servers.iter().map(|s| lit(s)).collect(),
    })
}

/// A cluster with deterministic ids/clock and `n` servers `s1..sn` (ids `s1`…) at
/// `localhost:7687`…, after applying `conf` lines.
pub fn cluster_with(conf: &str, ids: &[&str]) -> Cluster {
    let mut config = Config::with_servers(0);
    config.apply_text(conf).expect("valid test config");
    let mut c = Cluster::with_parts(config, Box::new(MemoryStore), Box::new(FixedEnv::default()))
        .expect("new cluster");
    for (i, id) in ids.iter().enumerate() {
        run(&mut c, &add_server(id, &format!("localhost:{}", 7687 + i)));
    }
    c
}

/// `n` servers named `s1`..`sn`, all enabled (minimum count = n).
pub fn cluster(n: usize) -> Cluster {
    let ids: Vec<String> = (1..=n).map(|i| format!("s{i:02}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    cluster_with(
        &format!("dbms.cluster.minimum_initial_system_primaries_count={n}"),
        &refs,
    )
}

pub fn try_run(c: &mut Cluster, s: &Statement) -> Result<QueryResult, Neo4jError> {
    c.execute(s, &Params::new(), &Session::default())
}

pub fn run(c: &mut Cluster, s: &Statement) -> QueryResult {
    try_run(c, s).unwrap_or_else(|e| panic!("{s:?} failed: {e}"))
}

/// Renders a result as the verbose table (no footer).
pub fn table(r: &QueryResult) -> String {
    let mut out = Vec::new();
    let options = crate::render::Options::new(crate::render::Format::Verbose);
    crate::render::write_table(&mut out, r, &options).unwrap();
    String::from_utf8(out).unwrap()
}
