// Seed "Reallocate databases": after adding servers, DRYRUN REALLOCATE DATABASES prints
// the six-column table of the seed and changes nothing; REALLOCATE then balances.
CALL sim.addServer({serverId: '00000000-27e1-402b-be79-d28047a9418a', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000004-5c8e-4b1a-9f3d-2a6e7b8c9d0e', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000001-7a21-4780-bb83-cee4726cb318', address: 'localhost:7689'});
DROP DATABASE neo4j;
CREATE DATABASE bar TOPOLOGY 3 PRIMARIES;
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES;
CALL sim.addServer({serverId: '00000002-14b5-4d4c-ae62-56845797661a', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000003-b76c-483f-b2ca-935a1a28f3db', address: 'localhost:7691'});
ENABLE SERVER '00000002-14b5-4d4c-ae62-56845797661a';
ENABLE SERVER '00000003-b76c-483f-b2ca-935a1a28f3db';
RENAME SERVER '00000000-27e1-402b-be79-d28047a9418a' TO 'server-1';
RENAME SERVER '00000004-5c8e-4b1a-9f3d-2a6e7b8c9d0e' TO 'server-2';
RENAME SERVER '00000001-7a21-4780-bb83-cee4726cb318' TO 'server-3';
RENAME SERVER '00000002-14b5-4d4c-ae62-56845797661a' TO 'server-4';
RENAME SERVER '00000003-b76c-483f-b2ca-935a1a28f3db' TO 'server-5';
SHOW SERVERS YIELD name, hosting;
DRYRUN REALLOCATE DATABASES;
SHOW SERVERS YIELD name, hosting;
CALL dbms.cluster.reallocateNumberOfDatabases(3, true);
CALL dbms.cluster.reallocateDatabase("bar", true);
REALLOCATE DATABASES;
SHOW SERVERS YIELD name, hosting;
DRYRUN REALLOCATE DATABASES;
