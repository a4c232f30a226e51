// args: --servers 0 --fail-at-end
//
// Change a database's topology and its read/write access (seed: "Modify database topology
// and read/write access").
//
// Run it:  cysh --ephemeral --servers 0 --fail-at-end -f examples/alter-topology-and-access.cypher
// Expected output: alter-topology-and-access.out and .err (two steps fail on purpose).

// Five servers with fixed ids and addresses; the first three form the first deployment.
// From then on, Free servers that join are enabled automatically (no ENABLE SERVER).
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL dbms.cluster.setAutomaticallyEnableFreeServers(true);
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASE foo YIELD address, role ORDER BY address;

// Shrink foo to 2 primaries and 1 secondary. Copies on cordoned servers go first: cordon
// the server on localhost:7688 and its copy is the one removed.
CALL dbms.cluster.cordonServer('00000000-0000-4000-8000-000000000002');
ALTER DATABASE foo SET TOPOLOGY 2 PRIMARIES 1 SECONDARY;
SHOW DATABASE foo YIELD address, role ORDER BY address;
// Un-cordon it (ENABLE SERVER replaces the deprecated dbms.cluster.uncordonServer).
ENABLE SERVER '00000000-0000-4000-8000-000000000002';

// The same with parameters.
:param {dbname: 'foo', primary: 3, secondary: 1}
ALTER DATABASE $dbname SET TOPOLOGY $primary PRIMARIES $secondary SECONDARIES;
SHOW DATABASE foo YIELD name, currentPrimariesCount, currentSecondariesCount LIMIT 1;

// A missing database is an error, unless IF EXISTS makes the command a no-op.
ALTER DATABASE nonExisting IF EXISTS SET TOPOLOGY 1 PRIMARY 0 SECONDARY;
ALTER DATABASE nonExisting SET TOPOLOGY 1 PRIMARY 0 SECONDARY;

// Going from several primaries to a single one is refused: back up, drop the database
// and seed it again with the new topology instead (see restore-and-recreate.cypher).
ALTER DATABASE foo SET TOPOLOGY 1 PRIMARY;

// Access: a new database is read-write. Make foo read-only, look, then restore it.
ALTER DATABASE foo SET ACCESS READ ONLY;
SHOW DATABASES YIELD name, access WHERE name = 'foo' RETURN DISTINCT name, access;
ALTER DATABASE foo SET ACCESS READ WRITE;
SHOW DATABASES YIELD name, access WHERE name = 'foo' RETURN DISTINCT name, access;
