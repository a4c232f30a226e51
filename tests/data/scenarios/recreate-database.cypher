// Seed "Restore a database using the dbms.recreateDatabase() procedure".
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES;
CALL dbms.recreateDatabase("foo", {seedURI: "s3://myBucket/myBackup.backup",});
CALL dbms.recreateDatabase("foo",  {seedURI: "s3://myBucket/myBackup.backup", primaries: 3, secondaries: 0});
SHOW DATABASE foo YIELD address, role, requestedPrimariesCount, options;
CALL dbms.recreateDatabase("foo", {seedURI: "server://00000000-0000-4000-8000-000000000002/myBackup.backup"});
CALL dbms.recreateDatabase("foo", {seedURI: "server://no-such-server/myBackup.backup"});
CALL dbms.recreateDatabase("foo", {seedURI: "s3://myBucket/myBackup.backup", primaries: 4});
CREATE DATABASE `foo-restored`
TOPOLOGY 2 PRIMARIES 1 SECONDARY
OPTIONS {seedUri: "s3://bucket/folder/"};
CREATE OR REPLACE DATABASE foo TOPOLOGY 3 PRIMARIES OPTIONS {existingData: 'use', seedURI: 's3://myBucket/myBackup.backup'};
SHOW DATABASES YIELD name, options WHERE name STARTS WITH 'foo' RETURN DISTINCT name, options ORDER BY name;
DROP DATABASE foo;
SHOW DATABASES;
