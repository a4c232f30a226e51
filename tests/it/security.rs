//! Users, roles and privileges through the real binary: the role table
//! (`tests/data/security/roles.tsv`, every control-plane command and procedure × every
//! built-in role and one-privilege custom roles), the publisher acceptance case, DENY over
//! GRANT, role copies, suspended users, wrong passwords, SHOW DATABASES visibility, the
//! home column and password change required.

use crate::util::{cysh_bare, run};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

/// Every test process is bounded in time.
const LIMIT: Duration = Duration::from_secs(120);

pub const PASSWORD: &str = "secret123";

const FORBIDDEN: &str = "Permission has not been granted for";

fn in_dir(dir: &Path) -> assert_cmd::Command {
    let mut cmd = cysh_bare();
    cmd.arg("--data-dir").arg(dir).timeout(LIMIT);
    cmd
}

/// Runs `statements` as the initial user (no login), failing the test on any error.
fn admin(dir: &Path, statements: &str) -> String {
    let (code, stdout, stderr) = run(in_dir(dir)
        .args(["--format", "plain"])
        .write_stdin(statements));
    assert_eq!(code, 0, "{statements}\n{stderr}");
    stdout
}

/// Runs `statements` as `user`: (exit status, stdout, stderr).
fn as_user(dir: &Path, user: &str, password: &str, statements: &str) -> (i32, String, String) {
    run(in_dir(dir)
        .args([
            "--format",
            "plain",
            "--fail-at-end",
            "-u",
            user,
            "-p",
            password,
        ])
        .write_stdin(statements))
}

/// The role table: role set-up lines and expected outcomes.
pub struct RoleTable {
    /// Role name to the GRANT that gives it its one privilege (empty for built-in roles).
    pub roles: Vec<(String, String)>,
    /// Role to (statement, Forbidden expected), in file order.
    pub cases: BTreeMap<String, Vec<(String, bool)>>,
}

/// Reads `tests/data/security/roles.tsv`.
pub fn role_table() -> RoleTable {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/security/roles.tsv");
    let text = std::fs::read_to_string(&path).expect("role table");
    let mut table = RoleTable {
        roles: Vec::new(),
        cases: BTreeMap::new(),
    };
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        assert_eq!(cols.len(), 3, "bad line: {line}");
        match cols[0] {
            "role" => table.roles.push((cols[1].into(), cols[2].into())),
            outcome => {
                assert!(outcome == "allowed" || outcome == "Forbidden", "{line}");
                table
                    .cases
                    .entry(cols[1].into())
                    .or_default()
                    .push((cols[2].into(), outcome == "Forbidden"));
            }
        }
    }
    table
}

/// The user that holds only `role` in the table's set-up.
pub fn user_of(role: &str) -> String {
    format!("u_{role}")
}

/// The statements that set up the table's roles and users (run as an admin).
pub fn setup_script(table: &RoleTable) -> String {
    let mut s = String::new();
    for (role, grant) in &table.roles {
        let user = user_of(role);
        s.push_str(&format!(
            "CREATE USER {user} SET PASSWORD '{PASSWORD}' CHANGE NOT REQUIRED;\n"
        ));
        if !grant.is_empty() {
            s.push_str(&format!("CREATE ROLE {role};\n{grant} TO {role};\n"));
        }
        if role != "PUBLIC" {
            s.push_str(&format!("GRANT ROLE {role} TO {user};\n"));
        }
    }
    s
}

/// The 1-based lines of a script whose statement failed with Forbidden, from the shell's
/// stderr (`{"code":...}` then `(in FILE, line N, column C)`).
pub fn forbidden_lines(stderr: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut last_forbidden = false;
    for line in stderr.lines() {
        if line.starts_with('{') || line.starts_with("Neo.") {
            last_forbidden = line.contains("Neo.ClientError.Security.Forbidden");
        } else if let Some(rest) = line.strip_prefix("(in ")
            && let Some((_, after)) = rest.rsplit_once(", line ")
            && let Some((n, _)) = after.split_once(',')
            && let Ok(n) = n.trim().parse::<usize>()
        {
            if last_forbidden {
                out.insert(n);
            }
            last_forbidden = false;
        }
    }
    out
}

/// Runs every role's statements through `run_as(user, script_file)` (which returns the
/// shell's stderr) and returns every disagreement with the table.
pub fn check_table(
    table: &RoleTable,
    scripts: &Path,
    mut run_as: impl FnMut(&str, &Path) -> String,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for (role, cases) in &table.cases {
        let file = scripts.join(format!("{role}.cypher"));
        let text: String = cases.iter().map(|(s, _)| format!("{s};\n")).collect();
        std::fs::write(&file, text).unwrap();
        let stderr = run_as(&user_of(role), &file);
        let forbidden = forbidden_lines(&stderr);
        for (i, (statement, expected)) in cases.iter().enumerate() {
            let got = forbidden.contains(&(i + 1));
            if got != *expected {
                wrong.push(format!(
                    "{role}: {statement}: expected {}, got {}",
                    if *expected { "Forbidden" } else { "allowed" },
                    if got { "Forbidden" } else { "allowed" }
                ));
            }
        }
    }
    wrong
}

#[test]
fn the_role_table_holds_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let table = role_table();
    admin(dir.path(), &setup_script(&table));
    let wrong = check_table(&table, dir.path(), |user, file| {
        let (_, _, stderr) = run(in_dir(dir.path())
            .args([
                "--format",
                "json",
                "--fail-at-end",
                "-u",
                user,
                "-p",
                PASSWORD,
                "-f",
            ])
            .arg(file));
        assert!(
            !stderr.contains("Unauthorized"),
            "{user} could not log in: {stderr}"
        );
        stderr
    });
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What SHOW DATABASES and SHOW SERVERS say, to prove a refusal changed nothing.
fn snapshot(dir: &Path) -> String {
    admin(
        dir,
        "SHOW DATABASES YIELD name, address, role, requestedStatus; SHOW SERVERS YIELD *; \
         CALL dbms.showTopologyGraphConfig();",
    )
}

#[test]
fn a_publisher_is_refused_until_a_role_of_theirs_gets_server_management() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        "CREATE DATABASE foo; CREATE USER pub SET PASSWORD 'secret123' CHANGE NOT REQUIRED; \
         GRANT ROLE publisher TO pub;",
    );
    let before = snapshot(dir.path());
    for (statement, action) in [
        ("CREATE DATABASE bar", "CREATE DATABASE"),
        ("ENABLE SERVER 'x'", "SERVER MANAGEMENT"),
        (
            "CALL dbms.cluster.reallocateDatabase('foo')",
            "SERVER MANAGEMENT",
        ),
    ] {
        let (code, _, stderr) = as_user(dir.path(), "pub", PASSWORD, statement);
        assert_eq!(code, 1, "{statement}: {stderr}");
        let message = format!(
            "Neo.ClientError.Security.Forbidden: Permission has not been granted for {action}. Try \
             executing SHOW USER PRIVILEGES to determine the missing or denied privileges. In case \
             of missing privileges, they need to be granted (See GRANT). In case of denied \
             privileges, they need to be revoked (See REVOKE) and granted."
        );
        assert!(stderr.contains(&message), "{statement}: {stderr}");
    }
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a refused statement changed the cluster"
    );
    admin(
        dir.path(),
        "CREATE ROLE oncall; GRANT ROLE oncall TO pub; GRANT SERVER MANAGEMENT ON DBMS TO oncall;",
    );
    let (code, _, stderr) = as_user(
        dir.path(),
        "pub",
        PASSWORD,
        "CALL dbms.cluster.reallocateDatabase('foo')",
    );
    assert_eq!(code, 0, "{stderr}");
    // Still no CREATE DATABASE: only the one privilege was granted.
    let (code, _, stderr) = as_user(dir.path(), "pub", PASSWORD, "CREATE DATABASE bar");
    assert_eq!(code, 1);
    assert!(stderr.contains(FORBIDDEN), "{stderr}");
}

#[test]
fn deny_wins_over_grant_from_any_role() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        "CREATE USER ops SET PASSWORD 'secret123' CHANGE NOT REQUIRED; \
         CREATE ROLE granting; CREATE ROLE denying; GRANT ROLE granting, denying TO ops; \
         GRANT SERVER MANAGEMENT ON DBMS TO granting; GRANT DATABASE MANAGEMENT ON DBMS TO granting; \
         DENY SHOW SERVERS ON DBMS TO denying; DENY CREATE DATABASE ON DBMS TO denying;",
    );
    let forbidden = |statement: &str| {
        let (_, _, stderr) = as_user(dir.path(), "ops", PASSWORD, statement);
        stderr.contains(FORBIDDEN)
    };
    assert!(forbidden("SHOW SERVERS"));
    assert!(forbidden("CREATE DATABASE x"));
    assert!(!forbidden("DROP DATABASE nosuch IF EXISTS"));
    assert!(!forbidden("ENABLE SERVER 'nosuch'"));
    // Revoking the denial gives the granted privilege back.
    admin(dir.path(), "REVOKE DENY SHOW SERVERS ON DBMS FROM denying;");
    assert!(!forbidden("SHOW SERVERS"));
    // A broader denial covers every part of it.
    admin(dir.path(), "DENY ALL DBMS PRIVILEGES ON DBMS TO denying;");
    assert!(forbidden("ENABLE SERVER 'nosuch'"));
    assert!(forbidden("DROP DATABASE nosuch IF EXISTS"));
}

#[test]
fn a_role_copy_has_the_privileges_but_not_the_members() {
    let dir = tempfile::tempdir().unwrap();
    let out = admin(
        dir.path(),
        "CREATE ROLE operator AS COPY OF admin; SHOW ROLE operator PRIVILEGES AS COMMANDS; \
         SHOW ROLE admin PRIVILEGES AS COMMANDS; SHOW ROLES WITH USERS;",
    );
    let copy: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("TO `operator`"))
        .collect();
    let original: Vec<String> = out
        .lines()
        .filter(|l| l.contains("TO `admin`"))
        .map(|l| l.replace("`admin`", "`operator`"))
        .collect();
    assert_eq!(copy.len(), 14, "{out}");
    assert_eq!(copy, original);
    assert!(out.contains("\"operator\", NULL"), "{out}");
    assert!(out.contains("GRANT ALL DBMS PRIVILEGES ON DBMS TO `operator`"));
    // The copy is independent of its source.
    let out = admin(
        dir.path(),
        "REVOKE ALL DBMS PRIVILEGES ON DBMS FROM operator; SHOW ROLE admin PRIVILEGES AS COMMANDS;",
    );
    assert!(out.contains("GRANT ALL DBMS PRIVILEGES ON DBMS TO `admin`"));
}

#[test]
fn suspended_users_and_wrong_passwords_cannot_log_in() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        "CREATE USER sus SET PASSWORD 'secret123' CHANGE NOT REQUIRED SET STATUS SUSPENDED; \
         CREATE USER ok SET PASSWORD 'secret123' CHANGE NOT REQUIRED;",
    );
    let refused = "Neo.ClientError.Security.Unauthorized: The client is unauthorized due to authentication failure.";
    for (user, password) in [
        ("sus", PASSWORD),
        ("ok", "wrong-password"),
        ("nobody", PASSWORD),
        ("ok", ""),
        // The embedded initial user has no password until one is set.
        ("neo4j", "neo4j"),
    ] {
        let (code, stdout, stderr) = as_user(dir.path(), user, password, "SHOW CURRENT USER");
        assert_eq!(code, 1, "{user}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(refused), "{user}: {stderr}");
        assert!(
            !stderr.contains(password) || password.is_empty(),
            "password echoed"
        );
    }
    let (code, stdout, _) = as_user(dir.path(), "ok", PASSWORD, "SHOW CURRENT USER");
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\"ok\", [\"PUBLIC\"], FALSE, FALSE, NULL"),
        "{stdout}"
    );
    // Reactivated, the user gets in.
    admin(dir.path(), "ALTER USER sus SET STATUS ACTIVE;");
    let (code, _, stderr) = as_user(dir.path(), "sus", PASSWORD, "SHOW CURRENT USER");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn show_databases_shows_only_what_the_user_may_see_and_their_home() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        "CREATE DATABASE alpha; CREATE DATABASE beta; CREATE COMPOSITE DATABASE gamma; \
         CREATE USER viewer SET PASSWORD 'secret123' CHANGE NOT REQUIRED SET HOME DATABASE alpha; \
         CREATE ROLE alpha_only; GRANT ACCESS ON DATABASE alpha TO alpha_only; \
         GRANT ROLE alpha_only TO viewer; \
         CREATE USER creator SET PASSWORD 'secret123' CHANGE NOT REQUIRED; \
         CREATE ROLE creators; GRANT CREATE DATABASE ON DBMS TO creators; GRANT ROLE creators TO creator;",
    );
    let names = |user: &str| -> BTreeSet<String> {
        let (code, stdout, stderr) = as_user(
            dir.path(),
            user,
            PASSWORD,
            "SHOW DATABASES YIELD name RETURN DISTINCT name",
        );
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .skip(1)
            .map(|l| l.trim_matches('"').to_string())
            .collect()
    };
    // viewer: ACCESS on alpha, and PUBLIC's ACCESS ON HOME DATABASE (alpha as well).
    assert_eq!(
        names("viewer"),
        BTreeSet::from(["alpha".into(), "system".into()])
    );
    // creator: every standard database (CREATE DATABASE), not the composite; PUBLIC's home
    // access gives the default database, which is standard anyway.
    assert_eq!(
        names("creator"),
        BTreeSet::from([
            "alpha".into(),
            "beta".into(),
            "neo4j".into(),
            "system".into()
        ])
    );
    let (_, all, _) = run(in_dir(dir.path()).args([
        "--format",
        "plain",
        "SHOW DATABASES YIELD name RETURN DISTINCT name",
    ]));
    assert!(all.contains("gamma") && all.contains("beta"), "{all}");
    // The home column and SHOW HOME DATABASE follow the user's home database.
    let (code, stdout, stderr) = as_user(
        dir.path(),
        "viewer",
        PASSWORD,
        "SHOW DATABASES YIELD name, home, default WHERE home RETURN DISTINCT name, home, default; \
         SHOW HOME DATABASE YIELD name RETURN DISTINCT name;",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "name, home, default\n\"alpha\", TRUE, FALSE\nname\n\"alpha\"\n"
    );
}

#[test]
fn a_required_password_change_allows_only_the_change() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        "CREATE USER newbie SET PASSWORD 'secret123'; GRANT ROLE admin TO newbie;",
    );
    let (code, _, stderr) = as_user(dir.path(), "newbie", PASSWORD, "SHOW DATABASES");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Neo.ClientError.Security.CredentialsExpired: Permission denied."),
        "{stderr}"
    );
    let (code, _, stderr) = as_user(
        dir.path(),
        "newbie",
        PASSWORD,
        "ALTER CURRENT USER SET PASSWORD FROM 'wrong-one' TO 'secret456'",
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("failed to alter their own password"),
        "{stderr}"
    );
    let (code, _, stderr) = as_user(
        dir.path(),
        "newbie",
        PASSWORD,
        "ALTER CURRENT USER SET PASSWORD FROM 'secret123' TO 'short'",
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("at least 8 characters"), "{stderr}");
    let (code, _, stderr) = as_user(
        dir.path(),
        "newbie",
        PASSWORD,
        "ALTER CURRENT USER SET PASSWORD FROM 'secret123' TO 'secret456'",
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = as_user(dir.path(), "newbie", "secret456", "SHOW CURRENT USER");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"newbie\", [\"admin\", \"PUBLIC\"], FALSE, FALSE, NULL"));
    // The old password no longer works; no hash is ever shown.
    let (code, _, _) = as_user(dir.path(), "newbie", PASSWORD, "SHOW CURRENT USER");
    assert_eq!(code, 1);
    let users = admin(dir.path(), "SHOW USERS YIELD *");
    assert!(
        !users.contains("argon2") && !users.contains("secret"),
        "{users}"
    );
}

#[test]
fn short_passwords_are_refused_and_users_persist() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(in_dir(dir.path()).arg("CREATE USER x SET PASSWORD 'short'"));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("A password must be at least 8 characters."),
        "{stderr}"
    );
    admin(
        dir.path(),
        "CREATE USER keeper SET PASSWORD 'secret123' CHANGE NOT REQUIRED SET HOME DATABASE foo; \
         CREATE ROLE keepers; GRANT ROLE keepers TO keeper; GRANT SHOW SERVERS ON DBMS TO keepers;",
    );
    let (code, stdout, stderr) = as_user(
        dir.path(),
        "keeper",
        PASSWORD,
        "SHOW CURRENT USER; SHOW USER PRIVILEGES AS COMMANDS",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"keeper\", [\"keepers\", \"PUBLIC\"], FALSE, FALSE, \"foo\""));
    assert!(
        stdout.contains("\"GRANT SHOW SERVERS ON DBMS TO $role\""),
        "{stdout}"
    );
}

/// `cysh -a <server> -u user -p password ...` with the test's time bound.
fn remote(server: &crate::http::TestServer, user: &str, password: &str) -> assert_cmd::Command {
    let mut cmd = cysh_bare();
    cmd.args(["-a", server.address(), "-u", user, "-p", password])
        .timeout(LIMIT);
    cmd
}

#[test]
fn the_role_table_holds_through_cysh_serve() {
    let server = crate::http::TestServer::start();
    let table = role_table();
    let (code, _, stderr) = run(remote(&server, "neo4j", crate::http::PASSWORD)
        .args(["--format", "plain"])
        .write_stdin(setup_script(&table)));
    assert_eq!(code, 0, "{stderr}");
    let scripts = tempfile::tempdir().unwrap();
    let wrong = check_table(&table, scripts.path(), |user, file| {
        let (_, _, stderr) = run(remote(&server, user, PASSWORD)
            .args(["--format", "json", "--fail-at-end", "-f"])
            .arg(file));
        assert!(
            !stderr.contains("unauthorized"),
            "{user} could not log in: {stderr}"
        );
        stderr
    });
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn over_http_a_missing_privilege_is_forbidden_in_the_body_and_a_wrong_password_is_401() {
    let server = crate::http::TestServer::start();
    let setup = "CREATE USER pub SET PASSWORD 'secret123' CHANGE NOT REQUIRED; \
                 GRANT ROLE publisher TO pub;";
    // The Query API takes one statement per request.
    for statement in setup.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let r = server.post(
            "/db/system/query/v2",
            &serde_json::json!({ "statement": statement }).to_string(),
        );
        assert_eq!(r.status, 202, "{statement}: {}", r.body);
    }
    let as_pub = |password: &str, statement: &str| {
        server.send(
            "POST",
            "/db/system/query/v2",
            &[
                ("content-type", "application/json"),
                ("authorization", &crate::http::basic("pub", password)),
            ],
            Some(
                serde_json::json!({ "statement": statement })
                    .to_string()
                    .into_bytes(),
            ),
        )
    };
    let r = as_pub(PASSWORD, "CREATE DATABASE bar");
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        r.body,
        "{\"errors\":[{\"code\":\"Neo.ClientError.Security.Forbidden\",\"message\":\"Permission has \
         not been granted for CREATE DATABASE. Try executing SHOW USER PRIVILEGES to determine the \
         missing or denied privileges. In case of missing privileges, they need to be granted (See \
         GRANT). In case of denied privileges, they need to be revoked (See REVOKE) and granted.\"}]}"
    );
    let r = as_pub("wrong-password", "SHOW CURRENT USER");
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.code(), "Neo.ClientError.Security.Unauthorized");
    let r = as_pub(PASSWORD, "SHOW CURRENT USER");
    assert_eq!(r.status, 202, "{}", r.body);
    // Suspended with Cypher, the same credentials are refused at once.
    let r = server.post(
        "/db/system/query/v2",
        "{\"statement\": \"ALTER USER pub SET STATUS SUSPENDED\"}",
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let r = as_pub(PASSWORD, "SHOW CURRENT USER");
    assert_eq!(r.status, 401, "{}", r.body);
}
