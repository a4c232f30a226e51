// Seed "Create databases": 3 primaries + 2 secondaries fail on four servers and change
// nothing; on five they succeed. (The parameter form is in parameters.cypher.)
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASES YIELD name, address RETURN count(*) AS rows;
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
ENABLE SERVER '00000000-0000-4000-8000-000000000005';
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASE foo;
SHOW DATABASE foo YIELD name, serverID, role, writer, currentPrimariesCount, currentSecondariesCount, requestedPrimariesCount, requestedSecondariesCount;
CREATE DATABASE bar TOPOLOGY 3 PRIMARIES 2 SECONDARIES WAIT;
SHOW SERVERS YIELD name, address, hosting ORDER BY address;
CREATE DATABASE bar IF NOT EXISTS;
CREATE DATABASE bar;
