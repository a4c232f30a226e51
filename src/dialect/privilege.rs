//! Privilege actions: every action a GRANT, DENY or REVOKE can name, with the name Neo4j
//! gives it, the action that implies it and where it may be granted, as one table.
//!
//! The parser produces an [`Action`]; the cluster stores it, checks it (`security`) and
//! lists it (SHOW PRIVILEGES), so the hierarchy is written once, here. It must not decide
//! who holds what: that is the cluster's state.

use std::fmt;

/// Where an action may be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantedOn {
    /// `ON DBMS` only.
    Dbms,
    /// `ON DATABASE[S]`, `ON HOME DATABASE`, `ON DEFAULT DATABASE` only.
    Database,
    /// `ON GRAPH[S]` (graph privileges: listed, not enforced by the embedded cluster).
    Graph,
    /// Either `ON DBMS` or per database (ALTER DATABASE and its parts, Cypher 25).
    DbmsOrDatabase,
}

/// The table: each action's variant, its name as the commands and SHOW PRIVILEGES AS
/// COMMANDS write it, where it is granted, and its parent (holding the parent implies the
/// action; `-` for a root). Neo4j's privilege hierarchy for the control plane (OPS
/// dbms-administration pages).
macro_rules! actions {
    ($($variant:ident = $name:literal, $on:ident, $parent:tt;)*) => {
        /// A privilege action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $(
                #[doc = concat!("`", $name, "`.")]
                $variant,
            )*
        }

        impl Action {
            /// Every action, in table order.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The name as the commands write it (`SERVER MANAGEMENT`, `START`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// Where it may be granted.
            pub fn granted_on(self) -> GrantedOn {
                match self {
                    $(Action::$variant => GrantedOn::$on,)*
                }
            }

            /// The action that implies this one, if any.
            pub fn parent(self) -> Option<Action> {
                match self {
                    $(Action::$variant => actions!(@parent $parent),)*
                }
            }
        }
    };
    (@parent -) => { None };
    (@parent $parent:ident) => { Some(Action::$parent) };
}

actions! {
    AllDbmsPrivileges = "ALL DBMS PRIVILEGES", Dbms, -;
    ServerManagement = "SERVER MANAGEMENT", Dbms, AllDbmsPrivileges;
    ShowServers = "SHOW SERVERS", Dbms, ServerManagement;
    DatabaseManagement = "DATABASE MANAGEMENT", Dbms, AllDbmsPrivileges;
    CreateDatabase = "CREATE DATABASE", Dbms, DatabaseManagement;
    DropDatabase = "DROP DATABASE", Dbms, DatabaseManagement;
    AlterDatabase = "ALTER DATABASE", DbmsOrDatabase, DatabaseManagement;
    SetDatabaseAccess = "SET DATABASE ACCESS", DbmsOrDatabase, AlterDatabase;
    SetDatabaseDefaultLanguage = "SET DATABASE DEFAULT LANGUAGE", DbmsOrDatabase, AlterDatabase;
    CompositeDatabaseManagement = "COMPOSITE DATABASE MANAGEMENT", Dbms, DatabaseManagement;
    CreateCompositeDatabase = "CREATE COMPOSITE DATABASE", Dbms, CompositeDatabaseManagement;
    DropCompositeDatabase = "DROP COMPOSITE DATABASE", Dbms, CompositeDatabaseManagement;
    AlterCompositeDatabase = "ALTER COMPOSITE DATABASE", DbmsOrDatabase, CompositeDatabaseManagement;
    AliasManagement = "ALIAS MANAGEMENT", Dbms, AllDbmsPrivileges;
    CreateAlias = "CREATE ALIAS", Dbms, AliasManagement;
    DropAlias = "DROP ALIAS", Dbms, AliasManagement;
    AlterAlias = "ALTER ALIAS", Dbms, AliasManagement;
    ShowAlias = "SHOW ALIAS", Dbms, AliasManagement;
    UserManagement = "USER MANAGEMENT", Dbms, AllDbmsPrivileges;
    ShowUser = "SHOW USER", Dbms, UserManagement;
    CreateUser = "CREATE USER", Dbms, UserManagement;
    DropUser = "DROP USER", Dbms, UserManagement;
    RenameUser = "RENAME USER", Dbms, UserManagement;
    AlterUser = "ALTER USER", Dbms, UserManagement;
    SetPasswords = "SET PASSWORDS", Dbms, AlterUser;
    SetUserStatus = "SET USER STATUS", Dbms, AlterUser;
    SetUserHomeDatabase = "SET USER HOME DATABASE", Dbms, AlterUser;
    SetAuth = "SET AUTH", Dbms, AlterUser;
    RoleManagement = "ROLE MANAGEMENT", Dbms, AllDbmsPrivileges;
    ShowRole = "SHOW ROLE", Dbms, RoleManagement;
    CreateRole = "CREATE ROLE", Dbms, RoleManagement;
    DropRole = "DROP ROLE", Dbms, RoleManagement;
    RenameRole = "RENAME ROLE", Dbms, RoleManagement;
    AssignRole = "ASSIGN ROLE", Dbms, RoleManagement;
    RemoveRole = "REMOVE ROLE", Dbms, RoleManagement;
    PrivilegeManagement = "PRIVILEGE MANAGEMENT", Dbms, AllDbmsPrivileges;
    ShowPrivilege = "SHOW PRIVILEGE", Dbms, PrivilegeManagement;
    AssignPrivilege = "ASSIGN PRIVILEGE", Dbms, PrivilegeManagement;
    RemovePrivilege = "REMOVE PRIVILEGE", Dbms, PrivilegeManagement;
    ExecuteAdminProcedures = "EXECUTE ADMIN PROCEDURES", Dbms, AllDbmsPrivileges;
    Impersonate = "IMPERSONATE", Dbms, AllDbmsPrivileges;
    ShowSetting = "SHOW SETTING", Dbms, AllDbmsPrivileges;
    ExecuteProcedure = "EXECUTE PROCEDURE", Dbms, -;
    ExecuteBoostedProcedure = "EXECUTE BOOSTED PROCEDURE", Dbms, -;
    ExecuteFunction = "EXECUTE FUNCTION", Dbms, -;
    ExecuteBoostedFunction = "EXECUTE BOOSTED FUNCTION", Dbms, -;
    Load = "LOAD", Dbms, -;
    AllDatabasePrivileges = "ALL DATABASE PRIVILEGES", Database, -;
    Access = "ACCESS", Database, AllDatabasePrivileges;
    Start = "START", Database, AllDatabasePrivileges;
    Stop = "STOP", Database, AllDatabasePrivileges;
    TransactionManagement = "TRANSACTION MANAGEMENT", Database, AllDatabasePrivileges;
    IndexManagement = "INDEX MANAGEMENT", Database, AllDatabasePrivileges;
    ConstraintManagement = "CONSTRAINT MANAGEMENT", Database, AllDatabasePrivileges;
    NameManagement = "NAME MANAGEMENT", Database, AllDatabasePrivileges;
    ShowTransaction = "SHOW TRANSACTION", Database, -;
    TerminateTransaction = "TERMINATE TRANSACTION", Database, -;
    ShowIndex = "SHOW INDEX", Database, -;
    CreateIndex = "CREATE INDEX", Database, -;
    DropIndex = "DROP INDEX", Database, -;
    ShowConstraint = "SHOW CONSTRAINT", Database, -;
    CreateConstraint = "CREATE CONSTRAINT", Database, -;
    DropConstraint = "DROP CONSTRAINT", Database, -;
    CreateNewNodeLabel = "CREATE NEW NODE LABEL", Database, -;
    CreateNewRelationshipType = "CREATE NEW RELATIONSHIP TYPE", Database, -;
    CreateNewPropertyName = "CREATE NEW PROPERTY NAME", Database, -;
    AllGraphPrivileges = "ALL GRAPH PRIVILEGES", Graph, -;
    Traverse = "TRAVERSE", Graph, -;
    Read = "READ", Graph, -;
    Match = "MATCH", Graph, -;
    Write = "WRITE", Graph, -;
    Create = "CREATE", Graph, -;
    Delete = "DELETE", Graph, -;
    Merge = "MERGE", Graph, -;
    SetLabel = "SET LABEL", Graph, -;
    RemoveLabel = "REMOVE LABEL", Graph, -;
    SetProperty = "SET PROPERTY", Graph, -;
}

impl Action {
    /// The action named `name` (as [`Action::name`] writes it).
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// True when holding `self` gives `wanted`: the same action or an ancestor of it.
    pub fn implies(self, wanted: Action) -> bool {
        let mut next = Some(wanted);
        while let Some(a) = next {
            if a == self {
                return true;
            }
            next = a.parent();
        }
        false
    }

    /// True for graph privileges (`ON GRAPH`).
    pub fn is_graph(self) -> bool {
        self.granted_on() == GrantedOn::Graph
    }

    /// True for actions granted only per database or graph, never `ON DBMS`.
    pub fn is_per_database(self) -> bool {
        matches!(self.granted_on(), GrantedOn::Database | GrantedOn::Graph)
    }

    /// The `action` column of SHOW PRIVILEGES: Neo4j's internal name (`dbms_actions`,
    /// `start_database`, `server_management`).
    pub fn column_name(self) -> String {
        let special = match self {
            Action::AllDbmsPrivileges => "dbms_actions",
            Action::AllDatabasePrivileges => "database_actions",
            Action::AllGraphPrivileges => "graph_actions",
            Action::Start => "start_database",
            Action::Stop => "stop_database",
            Action::NameManagement => "token",
            Action::IndexManagement => "index",
            Action::ConstraintManagement => "constraint",
            Action::ExecuteAdminProcedures => "execute_admin",
            Action::ExecuteProcedure => "execute",
            Action::ExecuteFunction => "execute_function",
            other => return other.name().to_ascii_lowercase().replace(' ', "_"),
        };
        special.to_string()
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hierarchy_implies_parts_not_wholes() {
        use Action::*;
        assert!(AllDbmsPrivileges.implies(CreateDatabase));
        assert!(DatabaseManagement.implies(SetDatabaseAccess));
        assert!(ServerManagement.implies(ShowServers));
        assert!(AliasManagement.implies(DropAlias));
        assert!(UserManagement.implies(SetPasswords));
        assert!(!ShowServers.implies(ServerManagement));
        assert!(!CreateDatabase.implies(DatabaseManagement));
        assert!(!AllDbmsPrivileges.implies(Start));
        assert!(AllDatabasePrivileges.implies(Start));
    }

    #[test]
    fn names_are_unique_and_read_back() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a), "{a}");
        }
        assert_eq!(Action::from_name("ALL"), None);
    }

    #[test]
    fn a_parent_is_granted_where_its_children_are() {
        for a in Action::ALL {
            if let Some(p) = a.parent() {
                assert_eq!(p.is_per_database(), a.is_per_database(), "{a} under {p}");
            }
        }
    }

    #[test]
    fn every_action_parses_by_its_name() {
        for a in Action::ALL {
            // `ALL ... PRIVILEGES` is one word to the grammar, whose scope picks the whole:
            // a graph scope gives ALL DATABASE PRIVILEGES, so ALL GRAPH PRIVILEGES is only
            // ever a built-in's.
            if *a == Action::AllGraphPrivileges {
                continue;
            }
            let scope = match a.granted_on() {
                GrantedOn::Dbms | GrantedOn::DbmsOrDatabase => "DBMS",
                GrantedOn::Database => "DATABASE *",
                GrantedOn::Graph => "GRAPH *",
            };
            // Some actions name what they cover before ON (a glob, a label, a property).
            let qualifier = match a {
                Action::ShowSetting
                | Action::ExecuteProcedure
                | Action::ExecuteBoostedProcedure
                | Action::ExecuteFunction
                | Action::ExecuteBoostedFunction
                | Action::SetLabel
                | Action::RemoveLabel => " *",
                Action::Read | Action::Match | Action::Merge | Action::SetProperty => " {*}",
                _ => "",
            };
            let scope = if *a == Action::Load {
                "ALL DATA"
            } else {
                scope
            };
            let text = format!("GRANT {a}{qualifier} ON {scope} TO r");
            match crate::dialect::parse(&text) {
                Ok(crate::dialect::ast::Statement::Privilege(p)) => {
                    assert_eq!(p.action, *a, "{text}")
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn column_names_follow_neo4j() {
        assert_eq!(Action::Start.column_name(), "start_database");
        assert_eq!(Action::ServerManagement.column_name(), "server_management");
        assert_eq!(Action::AllDbmsPrivileges.column_name(), "dbms_actions");
    }
}
