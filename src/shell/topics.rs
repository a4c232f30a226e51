//! `:help <topic>` for the admin dialect: one entry per statement family, with its syntax
//! (as in Neo4j's manual, optional parts in brackets), a one-line summary and runnable
//! examples, plus the lookup that finds a topic by its words.
//!
//! It owns the catalog ([`TOPICS`]) that `:help`, `:help <topic>` and the completion of
//! `:help <TAB>` all read, so they cannot disagree. It must not run or parse anything at run
//! time: a unit test checks that every example parses with `dialect::parse`.

/// One statement family's help.
pub struct Topic {
    /// The heading, as listed by `:help`.
    pub name: &'static str,
    /// Every statement the topic covers, in capitals; each is an exact way to find it
    /// (`:help show default database`) and a completion candidate.
    pub phrases: &'static [&'static str],
    /// Other words that find it (`dryrun`, `rebalance`), lower case.
    pub keywords: &'static [&'static str],
    /// The one-line description shown in the `:help` list.
    pub summary: &'static str,
    /// The grammar, one form per line.
    pub syntax: &'static str,
    /// What to know beyond the grammar: defaults, errors, the embedded cluster's behaviour.
    pub notes: &'static str,
    /// Runnable statements, without the final `;`.
    pub examples: &'static [&'static str],
}

/// Every statement topic, in the order `:help` lists them.
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "CREATE DATABASE",
        phrases: &["CREATE DATABASE", "CREATE OR REPLACE DATABASE"],
        keywords: &[
            "wait",
            "nowait",
            "topology",
            "primaries",
            "secondaries",
            "seeduri",
            "seed",
            "restore",
            "existingdata",
        ],
        summary: "Create a standard database with its topology, options and seed",
        syntax: "CREATE [OR REPLACE] DATABASE name [IF NOT EXISTS]\n\
                 \x20 [[SET] DEFAULT LANGUAGE CYPHER {5|25}]\n\
                 \x20 [TOPOLOGY n PRIMAR{Y|IES} [m SECONDAR{Y|IES}]]\n\
                 \x20 [OPTIONS {option: value[, ...]}]\n\
                 \x20 [WAIT [n [SEC[OND[S]]]] | NOWAIT]",
        notes: "Without TOPOLOGY the default counts apply (initial.dbms.default_primaries_count,\n\
                initial.dbms.default_secondaries_count, or dbms.setDefaultAllocationNumbers).\n\
                The command fails, changing nothing, when the enabled servers and their mode\n\
                constraints cannot host the topology. OR REPLACE drops the database first.\n\
                Options: seedURI, existingData: 'use', existingDataSeedServer, txLogEnrichment,\n\
                storeFormat, seedConfig, seedRestoreUntil.",
        examples: &[
            "CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES",
            "CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES",
            "CREATE OR REPLACE DATABASE foo TOPOLOGY 2 PRIMARIES OPTIONS {seedURI: 's3://myBucket/myBackup.backup'}",
        ],
    },
    Topic {
        name: "CREATE COMPOSITE DATABASE",
        phrases: &["CREATE COMPOSITE DATABASE", "DROP COMPOSITE DATABASE"],
        keywords: &["composite", "constituent", "constituents"],
        summary: "Create a composite database, whose constituents are aliases",
        syntax: "CREATE [OR REPLACE] COMPOSITE DATABASE name [IF NOT EXISTS]\n\
                 \x20 [[SET] DEFAULT LANGUAGE CYPHER {5|25}]\n\
                 \x20 [OPTIONS {}]\n\
                 \x20 [WAIT [n [SEC[OND[S]]]] | NOWAIT]\n\
                 DROP COMPOSITE DATABASE name [IF EXISTS] [{DUMP | DESTROY} DATA]",
        notes: "A composite database has no topology: it is on every server, whatever the\n\
                servers' allowed and denied databases. Its constituents are aliases named\n\
                `composite.alias` (see :help create alias). A dotted name must be quoted.",
        examples: &[
            "CREATE COMPOSITE DATABASE garden",
            "CREATE ALIAS garden.flowers FOR DATABASE foo",
        ],
    },
    Topic {
        name: "ALTER DATABASE",
        phrases: &["ALTER DATABASE"],
        keywords: &[
            "wait",
            "nowait",
            "topology",
            "access",
            "primaries",
            "secondaries",
            "option",
            "readonly",
        ],
        summary: "Change a database's topology, access or options",
        syntax: "ALTER DATABASE name [IF EXISTS]\n\
                 \x20 { SET ACCESS {READ ONLY | READ WRITE}\n\
                 \x20 | SET TOPOLOGY n PRIMAR{Y|IES} [m SECONDAR{Y|IES}]\n\
                 \x20 | SET OPTION option value\n\
                 \x20 | SET DEFAULT LANGUAGE CYPHER {5|25} }\n\
                 \x20 [WAIT [n [SEC[OND[S]]]] | NOWAIT]\n\
                 ALTER DATABASE name [IF EXISTS] REMOVE OPTION option [WAIT ... | NOWAIT]",
        notes: "A new topology is checked like CREATE DATABASE's; shrinking removes copies on\n\
                cordoned servers first. Going from several primaries to one is refused (back\n\
                up, drop and seed instead). Without IF EXISTS a missing database is an error.",
        examples: &[
            "ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY",
            "ALTER DATABASE nonExisting IF EXISTS SET TOPOLOGY 1 PRIMARY 0 SECONDARY",
            "ALTER DATABASE foo SET ACCESS READ ONLY",
        ],
    },
    Topic {
        name: "DROP DATABASE",
        phrases: &["DROP DATABASE"],
        keywords: &[
            "wait", "nowait", "delete", "remove", "cascade", "dump", "destroy",
        ],
        summary: "Delete a database from the cluster",
        syntax: "DROP [COMPOSITE] DATABASE name [IF EXISTS] [RESTRICT | CASCADE ALIAS[ES]]\n\
                 \x20 [{DUMP | DESTROY} DATA] [WAIT [n [SEC[OND[S]]]] | NOWAIT]",
        notes: "A database with aliases is refused unless CASCADE ALIASES drops them too.\n\
                The system database cannot be dropped; the default database can (and is the\n\
                default again when re-created under the same name).",
        examples: &[
            "DROP DATABASE foo IF EXISTS",
            "DROP DATABASE foo CASCADE ALIASES DESTROY DATA",
        ],
    },
    Topic {
        name: "START/STOP DATABASE",
        phrases: &["START DATABASE", "STOP DATABASE"],
        keywords: &["wait", "nowait", "online", "offline"],
        summary: "Start or stop a database on every server that hosts it",
        syntax: "START DATABASE name [WAIT [n [SEC[OND[S]]]] | NOWAIT]\n\
                 STOP DATABASE name [WAIT [n [SEC[OND[S]]]] | NOWAIT]",
        notes: "Sets requestedStatus online or offline on every copy. Starting a started or\n\
                stopping a stopped database does nothing. The system database cannot be\n\
                stopped. dbms.setDefaultDatabase needs the old default stopped first.",
        examples: &[
            "STOP DATABASE neo4j",
            "START DATABASE neo4j WAIT 10 SECONDS",
        ],
    },
    Topic {
        name: "SHOW DATABASES",
        phrases: &[
            "SHOW DATABASES",
            "SHOW DATABASE",
            "SHOW DEFAULT DATABASE",
            "SHOW HOME DATABASE",
        ],
        keywords: &[
            "list", "status", "default", "home", "yield", "where", "return",
        ],
        summary: "List databases: one row per database per server hosting it",
        syntax: "SHOW { DATABASE[S] [name] | DEFAULT DATABASE | HOME DATABASE }\n\
                 \x20 [WHERE expression]\n\
                 SHOW { ... }\n\
                 \x20 YIELD { * | field[, ...] } [ORDER BY field[, ...]] [SKIP n] [LIMIT n]\n\
                 \x20 [WHERE expression]\n\
                 \x20 [RETURN field[, ...] [ORDER BY field[, ...]] [SKIP n] [LIMIT n]]",
        notes: "Default columns: name, type, aliases, access, address, role, writer,\n\
                requestedStatus, currentStatus, statusMessage, default, home, constituents\n\
                (DEFAULT and HOME leave out default and home). YIELD * adds serverID,\n\
                databaseID, the primaries and secondaries counts, options and more.",
        examples: &[
            "SHOW DATABASES",
            "SHOW DATABASE foo YIELD name, address, role, writer, requestedPrimariesCount",
            "SHOW DEFAULT DATABASE",
        ],
    },
    Topic {
        name: "SHOW SERVERS",
        phrases: &["SHOW SERVERS", "SHOW SERVER"],
        keywords: &["list", "hosting", "state", "health", "yield"],
        summary: "List servers with their state, health and hosted databases",
        syntax: "SHOW SERVER[S]\n\
                 \x20 [YIELD { * | field[, ...] } [ORDER BY field[, ...]] [SKIP n] [LIMIT n]]\n\
                 \x20 [WHERE expression]\n\
                 \x20 [RETURN field[, ...] [ORDER BY field[, ...]] [SKIP n] [LIMIT n]]",
        notes: "Default columns: name, address, state, health, hosting. YIELD * adds serverId,\n\
                httpAddress, httpsAddress, requestedHosting, tags, allowedDatabases,\n\
                deniedDatabases, modeConstraint and version. States: Free, Enabled, Cordoned,\n\
                Deallocating, Deallocated, Dropped; health: Available or Unavailable.",
        examples: &[
            "SHOW SERVERS",
            "SHOW SERVERS YIELD serverId, name, address, state, health, hosting",
        ],
    },
    Topic {
        name: "ENABLE SERVER",
        phrases: &["ENABLE SERVER"],
        keywords: &[
            "free",
            "uncordon",
            "modeconstraint",
            "alloweddatabases",
            "denieddatabases",
            "tags",
        ],
        summary: "Add a Free server to the cluster, or un-cordon one",
        syntax: "ENABLE SERVER 'serverId' [OPTIONS {option: value[, ...]}]",
        notes: "Takes the server's id. Options: modeConstraint ('PRIMARY', 'SECONDARY' or\n\
                'NONE'), allowedDatabases or deniedDatabases (lists of names, mutually\n\
                exclusive), tags. Without OPTIONS the server's initial.server.* settings apply.\n\
                A newly enabled server hosts nothing until an allocation happens (see\n\
                :help reallocate).",
        examples: &[
            "ENABLE SERVER '00000000-0000-4000-8000-000000000004'",
            "ENABLE SERVER '00000000-0000-4000-8000-000000000005' OPTIONS {modeConstraint: 'SECONDARY', deniedDatabases: ['foo']}",
        ],
    },
    Topic {
        name: "ALTER SERVER",
        phrases: &["ALTER SERVER"],
        keywords: &[
            "options",
            "modeconstraint",
            "alloweddatabases",
            "denieddatabases",
            "tags",
            "constraint",
            "constrained",
        ],
        summary: "Replace a server's options: mode constraint, allowed/denied databases",
        syntax: "ALTER SERVER 'name' SET OPTIONS {option: value[, ...]}",
        notes: "Takes a name or an id. The new options replace all the old ones: an option\n\
                left out goes back to its default. Copies the new options forbid move to other\n\
                servers; when that is impossible the command fails and changes nothing.",
        examples: &[
            "ALTER SERVER 'server01' SET OPTIONS {modeConstraint: 'PRIMARY'}",
            "ALTER SERVER 'server02' SET OPTIONS {allowedDatabases: ['foo', 'bar']}",
        ],
    },
    Topic {
        name: "RENAME SERVER",
        phrases: &["RENAME SERVER"],
        keywords: &["name"],
        summary: "Give a server a new name (its id never changes)",
        syntax: "RENAME SERVER 'name' TO 'newName'",
        notes: "Takes a name or an id. The new name must be unique among the servers.",
        examples: &["RENAME SERVER '00000000-0000-4000-8000-000000000001' TO 'server01'"],
    },
    Topic {
        name: "DROP SERVER",
        phrases: &["DROP SERVER"],
        keywords: &["remove", "deallocated"],
        summary: "Remove a deallocated server from the cluster",
        syntax: "DROP SERVER 'name'",
        notes: "The server must be Deallocated (see :help deallocate): it hosts nothing but\n\
                system. A dropped server can never rejoin.",
        examples: &["DROP SERVER 'server01'"],
    },
    Topic {
        name: "DEALLOCATE DATABASES",
        phrases: &[
            "DEALLOCATE DATABASES",
            "DEALLOCATE DATABASE",
            "DRYRUN DEALLOCATE DATABASES",
        ],
        keywords: &["dryrun", "deallocate", "move", "empty"],
        summary: "Move every user database off servers before dropping them",
        syntax: "[DRYRUN] DEALLOCATE DATABASE[S] FROM SERVER[S] 'name'[, ...]",
        notes: "DRYRUN shows the planned moves (database, fromServerName, fromServerId,\n\
                toServerName, toServerId, mode) and changes nothing. The real run sets the\n\
                servers Deallocating (irreversible), then Deallocated. It is refused, changing\n\
                nothing, when a hosted database is offline, has a single primary, or could no\n\
                longer be hosted by the remaining servers. To move single databases without\n\
                changing a server's state, see :help procedures\n\
                (dbms.cluster.deallocateDatabaseFromServer and friends).",
        examples: &[
            "DRYRUN DEALLOCATE DATABASES FROM SERVER 'server01'",
            "DEALLOCATE DATABASES FROM SERVERS 'server01', 'server02'",
        ],
    },
    Topic {
        name: "REALLOCATE DATABASES",
        phrases: &[
            "REALLOCATE DATABASES",
            "REALLOCATE DATABASE",
            "DRYRUN REALLOCATE DATABASES",
        ],
        keywords: &["dryrun", "reallocate", "rebalance", "balance"],
        summary: "Rebalance database copies across the enabled servers",
        syntax: "[DRYRUN] REALLOCATE DATABASE[S]",
        notes: "Moves copies from the most to the least loaded servers, for example onto newly\n\
                enabled ones. DRYRUN shows the planned moves and changes nothing. Refused while\n\
                a server is cordoned; when nothing can improve, nothing moves. To\n\
                move a few copies at a time, see dbms.cluster.reallocateNumberOfDatabases\n\
                (:help procedures).",
        examples: &["DRYRUN REALLOCATE DATABASES", "REALLOCATE DATABASES"],
    },
    Topic {
        name: "CREATE ALIAS",
        phrases: &["CREATE ALIAS", "CREATE OR REPLACE ALIAS"],
        keywords: &["alias", "remote"],
        summary: "Create a local or remote alias for a database",
        syntax: "CREATE [OR REPLACE] ALIAS name [IF NOT EXISTS] FOR DATABASE target\n\
                 \x20 [PROPERTIES {key: value[, ...]}]\n\
                 CREATE [OR REPLACE] ALIAS name [IF NOT EXISTS] FOR DATABASE target\n\
                 \x20 AT 'url' USER username PASSWORD 'password'\n\
                 \x20 [DRIVER {setting: value[, ...]}] [DEFAULT LANGUAGE CYPHER {5|25}]\n\
                 \x20 [PROPERTIES {key: value[, ...]}]",
        notes: "A name `composite.alias` makes the alias a constituent of that composite\n\
                database. An alias cannot target a composite database.",
        examples: &[
            "CREATE ALIAS films FOR DATABASE foo",
            "CREATE ALIAS garden.flowers FOR DATABASE foo PROPERTIES {team: 'ops'}",
        ],
    },
    Topic {
        name: "ALTER ALIAS",
        phrases: &["ALTER ALIAS"],
        keywords: &["alias", "target"],
        summary: "Point an alias at another database or change its properties",
        syntax: "ALTER ALIAS name [IF EXISTS] SET DATABASE\n\
                 \x20 [TARGET target [AT 'url']] [USER username] [PASSWORD 'password']\n\
                 \x20 [DRIVER {setting: value[, ...]}] [PROPERTIES {key: value[, ...]}]",
        notes: "A local alias cannot become remote, nor a remote one local.",
        examples: &["ALTER ALIAS films SET DATABASE TARGET bar"],
    },
    Topic {
        name: "DROP ALIAS",
        phrases: &["DROP ALIAS"],
        keywords: &["alias", "remove"],
        summary: "Remove an alias",
        syntax: "DROP ALIAS name [IF EXISTS] FOR DATABASE",
        notes: "To drop a database together with its aliases, see DROP DATABASE ... CASCADE\n\
                ALIASES.",
        examples: &["DROP ALIAS films IF EXISTS FOR DATABASE"],
    },
    Topic {
        name: "SHOW ALIASES",
        phrases: &["SHOW ALIASES", "SHOW ALIAS"],
        keywords: &["alias", "list"],
        summary: "List aliases and the databases they point to",
        syntax: "SHOW ALIAS[ES] [name] FOR DATABASE[S]\n\
                 \x20 [YIELD { * | field[, ...] } ...] [WHERE expression] [RETURN ...]",
        notes: "Default columns: name, composite, database, location, url, user; YIELD * adds\n\
                driver and properties.",
        examples: &[
            "SHOW ALIASES FOR DATABASE",
            "SHOW ALIAS garden.flowers FOR DATABASE YIELD *",
        ],
    },
    Topic {
        name: "USERS",
        phrases: &[
            "CREATE USER",
            "ALTER USER",
            "DROP USER",
            "SHOW USERS",
            "SHOW CURRENT USER",
        ],
        keywords: &["user", "password", "suspended", "home"],
        summary: "Create, change, drop and list users",
        syntax: "CREATE [OR REPLACE] USER name [IF NOT EXISTS]\n\
                 \x20 SET [PLAINTEXT | ENCRYPTED] PASSWORD 'password'\n\
                 \x20 [[SET PASSWORD] CHANGE [NOT] REQUIRED]\n\
                 \x20 [SET STATUS {ACTIVE | SUSPENDED}]\n\
                 \x20 [SET HOME DATABASE name]\n\
                 ALTER USER name [IF EXISTS]\n\
                 \x20 [SET [PLAINTEXT | ENCRYPTED] PASSWORD 'password'] [[SET PASSWORD] CHANGE [NOT] REQUIRED]\n\
                 \x20 [SET STATUS {ACTIVE | SUSPENDED}] [SET HOME DATABASE name | REMOVE HOME DATABASE]\n\
                 DROP USER name [IF EXISTS]\n\
                 SHOW USER[S] [YIELD ...] [WHERE expression] [RETURN ...]\n\
                 SHOW CURRENT USER",
        notes: "Passwords are at least 8 characters by default. SHOW USERS columns: user,\n\
                roles, passwordChangeRequired, suspended, home.\n\
                The embedded cluster enforces them: `cysh -u name` runs as that user.",
        examples: &[
            "CREATE USER alice SET PASSWORD 'changeme123' CHANGE REQUIRED",
            "ALTER USER alice SET STATUS SUSPENDED",
            "SHOW USERS",
        ],
    },
    Topic {
        name: "ROLES",
        phrases: &[
            "CREATE ROLE",
            "DROP ROLE",
            "GRANT ROLE",
            "REVOKE ROLE",
            "SHOW ROLES",
        ],
        keywords: &["role", "member", "members"],
        summary: "Create and drop roles, give them to users, list them",
        syntax: "CREATE [OR REPLACE] ROLE name [IF NOT EXISTS] [AS COPY OF other]\n\
                 DROP ROLE name [IF EXISTS]\n\
                 GRANT ROLE[S] role[, ...] TO user[, ...]\n\
                 REVOKE ROLE[S] role[, ...] FROM user[, ...]\n\
                 SHOW [ALL | POPULATED] ROLE[S] [WITH USER[S]] [YIELD ...] [WHERE ...] [RETURN ...]",
        notes: "Built-in roles: PUBLIC (every user), reader, editor, publisher, architect,\n\
                admin. Only admin holds SERVER MANAGEMENT and DATABASE MANAGEMENT.\n\
                The embedded cluster enforces them: `cysh -u name` runs as that user.",
        examples: &[
            "CREATE ROLE clusterops AS COPY OF reader",
            "GRANT ROLE clusterops TO alice",
            "SHOW POPULATED ROLES WITH USERS",
        ],
    },
    Topic {
        name: "PRIVILEGES",
        phrases: &["GRANT", "DENY", "REVOKE", "SHOW PRIVILEGES"],
        keywords: &["privilege", "permission", "permissions", "security"],
        summary: "Grant, deny, revoke and list privileges of roles",
        syntax: "GRANT [IMMUTABLE] privilege ON DBMS TO role[, ...]\n\
                 DENY [IMMUTABLE] privilege ON DBMS TO role[, ...]\n\
                 REVOKE [GRANT | DENY] [IMMUTABLE] privilege ON DBMS FROM role[, ...]\n\
                 GRANT {START | STOP | ACCESS} ON {HOME DATABASE | DATABASE[S] {* | name[, ...]}} TO role[, ...]\n\
                 SHOW [ALL] PRIVILEGES [AS [REVOKE] COMMAND[S]]\n\
                 SHOW ROLE[S] name[, ...] PRIVILEGES [AS [REVOKE] COMMAND[S]]\n\
                 SHOW USER[S] [name[, ...]] PRIVILEGES [AS [REVOKE] COMMAND[S]]",
        notes: "Privileges on DBMS for cluster work: SERVER MANAGEMENT, SHOW SERVERS, DATABASE\n\
                MANAGEMENT, CREATE/DROP/ALTER DATABASE, SET DATABASE ACCESS, ALIAS MANAGEMENT,\n\
                EXECUTE ADMIN PROCEDURES, ALL DBMS PRIVILEGES.\n\
                The embedded cluster enforces them: `cysh -u name` runs as that user.",
        examples: &[
            "GRANT SERVER MANAGEMENT ON DBMS TO clusterops",
            "DENY DROP DATABASE ON DBMS TO clusterops",
            "SHOW ROLE clusterops PRIVILEGES AS COMMANDS",
        ],
    },
    Topic {
        name: "CALL",
        phrases: &["CALL", "SHOW PROCEDURES"],
        keywords: &[
            "procedure",
            "procedures",
            "dryrun",
            "deallocate",
            "reallocate",
            "recreate",
            "setdefaultdatabase",
            "cordon",
            "cordonserver",
        ],
        summary: "Call a procedure; SHOW PROCEDURES lists them with their signatures",
        syntax: "CALL procedure.name([argument[, ...]]) [YIELD field[, ...] [WHERE expression]]\n\
                 SHOW PROCEDURE[S] [YIELD ...] [WHERE expression] [RETURN ...]",
        notes: "Cluster procedures (the last argument of the deallocate and reallocate ones is\n\
                dryrun, default false):\n\
                \x20 dbms.cluster.cordonServer(server)\n\
                \x20 dbms.cluster.deallocateDatabaseFromServer(server, database[, dryrun])\n\
                \x20 dbms.cluster.deallocateDatabaseFromServers(servers, database[, dryrun])\n\
                \x20 dbms.cluster.deallocateNumberOfDatabases(server, number[, dryrun])\n\
                \x20 dbms.cluster.reallocateDatabase(database[, dryrun])\n\
                \x20 dbms.cluster.reallocateNumberOfDatabases(number[, dryrun])\n\
                \x20 dbms.cluster.setAutomaticallyEnableFreeServers(autoEnable)\n\
                \x20 dbms.recreateDatabase(database[, {seedURI, seedingServers, primaries, secondaries}])\n\
                \x20 dbms.setDefaultAllocationNumbers(primaries, secondaries)\n\
                \x20 dbms.setDefaultDatabase(databaseName)\n\
                \x20 dbms.showTopologyGraphConfig()\n\
                The embedded cluster adds sim.addServer, sim.stopServer and sim.startServer\n\
                (:help sim). Press TAB after CALL to complete a name and see its signature.",
        examples: &[
            "SHOW PROCEDURES YIELD name, signature WHERE name STARTS WITH 'dbms.cluster'",
            "CALL dbms.cluster.deallocateDatabaseFromServer('server01', 'baz', true)",
            "CALL dbms.recreateDatabase('foo', {seedURI: 's3://myBucket/myBackup.backup', primaries: 3, secondaries: 0})",
        ],
    },
    Topic {
        name: "SIMULATION",
        phrases: &["SIM.ADDSERVER", "SIM.STOPSERVER", "SIM.STARTSERVER"],
        keywords: &[
            "sim",
            "simulation",
            "embedded",
            "addserver",
            "stopserver",
            "startserver",
            "server",
        ],
        summary: "Embedded cluster only: add, stop and start server processes",
        syntax: "CALL sim.addServer([{serverId: 'id', address: 'host:port', modeConstraint: mode,\n\
                 \x20 allowedDatabases: [...], deniedDatabases: [...], tags: [...],\n\
                 \x20 systemDatabaseMode: 'PRIMARY' | 'SECONDARY'}])\n\
                 CALL sim.stopServer('name')\n\
                 CALL sim.startServer('name')",
        notes: "sim.addServer starts a new server process: it joins as Free (enable it with\n\
                ENABLE SERVER), and returns serverId, name, address and state. The option names\n\
                play the initial.server.* settings. Give serverId and address for repeatable\n\
                output. sim.stopServer makes a server Unavailable; sim.startServer brings it\n\
                back. A real Neo4j server has none of these.",
        examples: &[
            "CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'})",
            "CALL sim.stopServer('00000000-0000-4000-8000-000000000004')",
            "CALL sim.startServer('00000000-0000-4000-8000-000000000004')",
        ],
    },
    Topic {
        name: "REHEARSAL",
        phrases: &["TWIN"],
        keywords: &[
            "twin",
            "rehearsal",
            "rehearse",
            "snapshot",
            "plan",
            "migration",
        ],
        summary: "Rehearse statements on a copy of a live cluster: cysh twin and :dryrun",
        syntax: ":dryrun <statement>[; <statement> ...]\n\
                 cysh --dry-run -f script.cypher [--format json]\n\
                 cysh twin --from neo4j://HOST:7687 [-u USER] --data-dir DIR [--save-json FILE]\n\
                 cysh twin --from-json FILE --data-dir DIR",
        notes: ":dryrun runs statements on the embedded cluster and rolls them back: it prints\n\
                each result or error, the allocation changes (database, change, server,\n\
                fromServer, toServer, mode), the load per server before and after, and a\n\
                verdict. --format json prints one object (ok, statements, changes, load,\n\
                belowTopology, maxLoadBefore, maxLoadAfter, verdict) for CI gates.\n\
                cysh twin copies a live cluster into a new data directory: servers, databases,\n\
                allocations, aliases and the default database, read with SHOW SERVERS YIELD *,\n\
                SHOW DATABASES YIELD *, SHOW ALIASES FOR DATABASES YIELD *,\n\
                dbms.showTopologyGraphConfig and SHOW DEFAULT DATABASE. Users, roles and secrets\n\
                are not copied; what cannot be read is reported (twin: lines on stderr).\n\
                A --from-json snapshot is one JSON object: {\"servers\": [rows], \"databases\":\n\
                [rows], \"aliases\": [rows], \"topologyGraphConfig\": {row}, \"defaultDatabase\":\n\
                \"name\"}, each row as cysh --format json prints it.",
        examples: &[
            "ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY",
            "DEALLOCATE DATABASES FROM SERVER 'server01'",
        ],
    },
];

/// What a `:help <words>` lookup found.
pub enum Found {
    /// Exactly one topic.
    One(&'static Topic),
    /// Several topics share the words (`:help dryrun`).
    Many(Vec<&'static Topic>),
    /// No topic.
    None,
}

/// Finds topics by their words, case-insensitively: an exact phrase or heading wins;
/// otherwise every topic whose statements contain each typed word (plural or singular),
/// or failing that, whose keywords do.
pub fn find(query: &str) -> Found {
    let words = words(query);
    if words.is_empty() {
        return Found::None;
    }
    let joined = words.join(" ");
    if let Some(t) = TOPICS.iter().find(|t| {
        words_of(t.name).join(" ") == joined
            || t.phrases.iter().any(|p| words_of(p).join(" ") == joined)
    }) {
        return Found::One(t);
    }
    // The words of the statements themselves rank above the extra keywords, so
    // `:help reallocate` is REALLOCATE DATABASES rather than also CALL.
    let matching = |with_keywords: bool| -> Vec<&'static Topic> {
        TOPICS
            .iter()
            .filter(|t| {
                let own = topic_words(t, with_keywords);
                words.iter().all(|w| own.iter().any(|o| same_word(w, o)))
            })
            .collect()
    };
    let mut matches = matching(false);
    if matches.is_empty() {
        matches = matching(true);
    }
    match matches.len() {
        0 => Found::None,
        1 => Found::One(matches[0]),
        _ => Found::Many(matches),
    }
}

/// The second section of `:help`: every topic with its summary.
pub fn list() -> String {
    let width = TOPICS.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut out = String::from("\nAdmin statements:\n");
    for t in TOPICS {
        out.push_str(&format!("  {:width$}  {}\n", t.name, t.summary));
    }
    out.push_str(
        "\nFor the syntax and examples of a statement type its words:\n    \
         :help create database, :help reallocate, :help dryrun, :help procedures\n",
    );
    out
}

/// `:help <topic>`: heading and summary, syntax, notes, examples.
pub fn render(t: &Topic) -> String {
    let mut out = format!("\n{} - {}\n\nsyntax:\n", t.name, t.summary);
    for line in t.syntax.lines() {
        out.push_str(&format!("  {line}\n"));
    }
    if !t.notes.is_empty() {
        out.push('\n');
        out.push_str(t.notes);
        out.push('\n');
    }
    out.push_str("\nexamples:\n");
    for e in t.examples {
        out.push_str(&format!("  {e};\n"));
    }
    out
}

/// Several topics matched: their names and summaries, and how to pick one.
pub fn render_many(query: &str, topics: &[&Topic]) -> String {
    let width = topics.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let mut out = format!("\nTopics matching '{}':\n", query.trim());
    for t in topics {
        out.push_str(&format!("  {:width$}  {}\n", t.name, t.summary));
    }
    out.push_str("\nType more of a topic's words, e.g. :help ");
    out.push_str(&topics[0].name.to_lowercase());
    out.push('\n');
    out
}

/// Every phrase a topic is found by, for completing `:help <TAB>`.
pub fn phrases() -> impl Iterator<Item = &'static str> {
    TOPICS.iter().flat_map(|t| t.phrases.iter().copied())
}

fn words(text: &str) -> Vec<String> {
    words_of(text.trim().trim_end_matches(';'))
}

/// Lower-case words; `/` separates words too, so `START/STOP DATABASE` has three.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '/')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn topic_words(t: &Topic, with_keywords: bool) -> Vec<String> {
    let mut all = words_of(t.name);
    for p in t.phrases {
        all.extend(words_of(p));
    }
    if with_keywords {
        all.extend(t.keywords.iter().map(|k| k.to_string()));
    }
    all
}

/// Equal, or equal but for a plural ending (`server`/`servers`, `alias`/`aliases`).
fn same_word(a: &str, b: &str) -> bool {
    let plural =
        |x: &str, y: &str| x.strip_suffix("es") == Some(y) || x.strip_suffix('s') == Some(y);
    a == b || plural(a, b) || plural(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses() {
        for t in TOPICS {
            for e in t.examples {
                if let Err(err) = crate::dialect::parse(e) {
                    panic!("{}: example does not parse: {e}\n{}", t.name, err.render(e));
                }
            }
        }
    }

    #[test]
    fn topics_have_text_and_unique_phrases() {
        let mut seen = std::collections::HashSet::new();
        for t in TOPICS {
            assert!(!t.summary.is_empty() && !t.syntax.is_empty() && !t.examples.is_empty());
            for p in t.phrases {
                assert_eq!(*p, p.to_uppercase(), "phrases are in capitals");
                assert!(seen.insert(*p), "phrase {p} twice");
            }
        }
    }

    fn one(query: &str) -> &'static str {
        match find(query) {
            Found::One(t) => t.name,
            Found::Many(ts) => panic!(
                "{query}: several: {:?}",
                ts.iter().map(|t| t.name).collect::<Vec<_>>()
            ),
            Found::None => panic!("{query}: none"),
        }
    }

    #[test]
    fn topics_are_found_by_their_words() {
        assert_eq!(one("create database"), "CREATE DATABASE");
        assert_eq!(one("CREATE   Database;"), "CREATE DATABASE");
        assert_eq!(one("alter server"), "ALTER SERVER");
        assert_eq!(one("reallocate"), "REALLOCATE DATABASES");
        assert_eq!(one("reallocate database"), "REALLOCATE DATABASES");
        assert_eq!(one("procedures"), "CALL");
        assert_eq!(one("show default database"), "SHOW DATABASES");
        assert_eq!(one("stop database"), "START/STOP DATABASE");
        assert_eq!(one("show aliases"), "SHOW ALIASES");
        assert_eq!(one("sim.addServer"), "SIMULATION");
        assert_eq!(one("grant role"), "ROLES");
        assert_eq!(one("create user"), "USERS");
        assert_eq!(one("composite"), "CREATE COMPOSITE DATABASE");
        assert!(matches!(find("dryrun"), Found::Many(ts) if ts.len() == 2));
        assert_eq!(one("rebalance"), "REALLOCATE DATABASES");
        assert_eq!(one("seedURI"), "CREATE DATABASE");
        assert!(matches!(find("wait"), Found::Many(ts) if ts.len() == 4));
        assert!(matches!(find("nothing here"), Found::None));
        assert!(matches!(find(""), Found::None));
    }
}
