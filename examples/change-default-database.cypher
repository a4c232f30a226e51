// args: --servers 0 --fail-at-end
//
// Make another database the default (seed: "Change the default database"), with the
// steps Neo4j 5 needs: the new default exists, and the old one is stopped first.
//
// Run it:  cysh --ephemeral --servers 0 --fail-at-end -f examples/change-default-database.cypher
// Expected output: change-default-database.out and .err (one step fails on purpose).

CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});

// 1. Make sure the new default exists, with the topology you want for production.
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES;

// 2. The current default database: neo4j, created when the cluster first started.
SHOW DEFAULT DATABASE;

// Skipping step 3 fails: the previous default is still running.
CALL dbms.setDefaultDatabase('foo');

// 3. Stop the current default.
STOP DATABASE neo4j;

// 4. Set the new default (against the system database, where cysh runs admin statements).
CALL dbms.setDefaultDatabase('foo');

// 5. Optionally start the old default again, now as an ordinary database.
START DATABASE neo4j;

// foo is the default (and the home database of users without one of their own).
SHOW DEFAULT DATABASE;
SHOW DATABASES YIELD name, default, home, currentStatus WHERE name <> 'system' RETURN DISTINCT name, default, home, currentStatus ORDER BY name;
CALL dbms.showTopologyGraphConfig() YIELD defaultDatabase;
