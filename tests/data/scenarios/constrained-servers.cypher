// Seed "Create databases": two servers constrained to PRIMARY and three to SECONDARY
// cannot host 3 primaries + 2 secondaries; 2 primaries + 3 secondaries fit.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687', modeConstraint: 'PRIMARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688', modeConstraint: 'PRIMARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689', modeConstraint: 'SECONDARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690', modeConstraint: 'SECONDARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691', modeConstraint: 'SECONDARY'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';
ENABLE SERVER '00000000-0000-4000-8000-000000000005';
SHOW SERVERS YIELD name, state, modeConstraint;
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES 3 SECONDARIES;
SHOW DATABASE foo YIELD address, role, writer;
