// args: --servers 0 --config scenarios/default-db-denied.conf
// Seed "Default database in a cluster": a server that denies the default database is not
// used, so there are fewer copies than requested.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688', deniedDatabases: ['neo4j']});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
SHOW SERVERS YIELD name, hosting, deniedDatabases;
SHOW DATABASE neo4j YIELD address, role;
