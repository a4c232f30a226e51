// args: --servers 0 --config examples/default-database-bootstrap.conf
//
// How the default database is created when a cluster first starts, and how to fix its
// topology afterwards (seed: "Default database in a cluster"). The settings are in
// default-database-bootstrap.conf, read with --config.
//
// Run it:  cysh --ephemeral --servers 0 --config examples/default-database-bootstrap.conf -f examples/default-database-bootstrap.cypher
// Expected output: default-database-bootstrap.out (nothing fails).

// The first three servers bootstrap the system database, then the default database
// movies is created on them, best effort. Their initial.server.* settings (given here as
// sim.addServer options) restrict it: server 1 denies movies, server 2 hosts secondaries
// only. Only server 3 can be a primary.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687', deniedDatabases: ['movies']});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688', modeConstraint: 'SECONDARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});

// The requested 3 primaries and 1 secondary are maximums here, not requirements:
// movies gets the 1 primary and 1 secondary the servers allow, and that is the topology
// it records. (CREATE DATABASE with a topology that does not fit would fail instead.)
SHOW DATABASES YIELD name, address, role, default WHERE name = 'movies';
SHOW DATABASE movies YIELD requestedPrimariesCount, requestedSecondariesCount, currentPrimariesCount, currentSecondariesCount LIMIT 1;

// The defaults still apply to later databases created without a topology.
CALL dbms.showTopologyGraphConfig();

// To get the topology you wanted, add servers and alter movies like any database.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';
ENABLE SERVER '00000000-0000-4000-8000-000000000005';
ALTER DATABASE movies SET TOPOLOGY 3 PRIMARIES 1 SECONDARY;
SHOW DATABASE movies YIELD address, role, writer ORDER BY address;
