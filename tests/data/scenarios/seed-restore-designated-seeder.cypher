// args: --servers 0 --config scenarios/seed-restore-designated-seeder.conf
// Seed "Managing databases in a cluster", "Restore a database using a designated seeder".
// Two documented differences from the seed's text: its SHOW SERVERS table prints
// ["system",  "neo4j"] with two spaces (a typo; cysh prints one, so that column is one
// character narrower), and its SHOW DATABASE foo footer says "9 rows" for 3 rows.
CALL sim.addServer({serverId: '8512c9b9-d9e8-48e6-b037-b15b0004ca18', address: 'localhost:7687'}) YIELD serverId RETURN count(*) AS joined;
CALL sim.addServer({serverId: '782f0ee2-5474-4250-b905-4cd8b8f586ba', address: 'localhost:7688'}) YIELD serverId RETURN count(*) AS joined;
CALL sim.addServer({serverId: '25a7efc7-d063-44b8-bdee-f23357f89f01', address: 'localhost:7689'}) YIELD serverId RETURN count(*) AS joined;
SHOW SERVERS YIELD serverId, name, address, state, health, hosting;
CALL dbms.showTopologyGraphConfig;
CREATE DATABASE foo
TOPOLOGY 3 PRIMARIES
OPTIONS {existingData: 'use', existingDataSeedServer: '8512c9b9-d9e8-48e6-b037-b15b0004ca18'};
SHOW DATABASE foo;
DROP DATABASE foo;
CREATE DATABASE foo
TOPOLOGY 3 PRIMARIES
OPTIONS {existingData: 'use', existingDataSeedInstance: '8512c9b9-d9e8-48e6-b037-b15b0004ca18'};
SHOW DATABASE foo;
