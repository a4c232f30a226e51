// args: --servers 0 --fail-at-end
//
// Restore a clustered database from a backup, or seed it from a server that already has
// the data, and recreate a database in place (seed: "Restore a clustered database from a
// .backup/.dump", "Restore a database using a designated seeder", "Restore a database
// using the dbms.recreateDatabase() procedure"). The embedded cluster copies no data: it
// records the seed options and places the copies exactly as Neo4j would.
//
// Run it:  cysh --ephemeral --servers 0 --fail-at-end -f examples/restore-and-recreate.cypher
// Expected output: restore-and-recreate.out and .err (one step fails on purpose).

CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});

// 1. Restore from a URI: create the database with the topology you want now (it may
//    differ from the original) and point seedURI at the backup or dump.
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES 1 SECONDARY OPTIONS {seedURI: 's3://myBucket/myBackup.backup'};
SHOW DATABASE foo YIELD name, address, role, options;

// foo exists now: to restore over it, use CREATE OR REPLACE (it drops foo first).
CREATE OR REPLACE DATABASE foo TOPOLOGY 3 PRIMARIES OPTIONS {existingData: 'use', seedURI: 's3://myBucket/myBackup.backup'};
SHOW DATABASE foo YIELD name, address, role;

// 2. A designated seeder: the backup was restored with neo4j-admin on one server (here
//    localhost:7687). Find its id with SHOW SERVERS, then create the database from it.
SHOW SERVERS YIELD serverId, name, address, state, health, hosting;
CREATE DATABASE bar TOPOLOGY 3 PRIMARIES OPTIONS {existingData: 'use', existingDataSeedServer: '00000000-0000-4000-8000-000000000001'};
SHOW DATABASE bar YIELD name, address, role, writer, options;

// 3. Recreate in place: no DROP needed, privileges are kept. With only a seedURI the
//    topology stays; primaries and secondaries change it.
CALL dbms.recreateDatabase('foo', {seedURI: 's3://myBucket/myBackup.backup'});
CALL dbms.recreateDatabase('foo', {seedURI: 's3://myBucket/myBackup.backup', primaries: 2, secondaries: 1});
SHOW DATABASE foo YIELD name, address, role, requestedPrimariesCount, requestedSecondariesCount;
// A backup already on one of the servers: a server:// URI names the server's id.
CALL dbms.recreateDatabase('foo', {seedURI: 'server://00000000-0000-4000-8000-000000000002/myBackup.backup'});
// The new topology must fit the enabled servers: four primaries on three servers fail.
CALL dbms.recreateDatabase('foo', {seedURI: 's3://myBucket/myBackup.backup', primaries: 4});

// 4. After neo4j-admin database copy: create the copy under a new name, check that it is
//    online, then drop the old database.
CREATE DATABASE `foo-restored` TOPOLOGY 2 PRIMARIES OPTIONS {seedURI: 's3://bucket/folder/'};
SHOW DATABASES YIELD name, currentStatus WHERE name STARTS WITH 'foo' RETURN DISTINCT name, currentStatus ORDER BY name;
DROP DATABASE foo;
SHOW DATABASES YIELD name WHERE name STARTS WITH 'foo' RETURN DISTINCT name;
