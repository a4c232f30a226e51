// args: --servers 0 --config scenarios/default-db-primaries.conf
// Seed "Default database in a cluster": default_primaries_count (5) above the minimum
// (3) gives fewer primaries, because initialisation only waits for the minimum.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
SHOW SERVERS;
SHOW DEFAULT DATABASE;
SHOW DATABASE neo4j YIELD name, currentPrimariesCount, currentSecondariesCount, requestedPrimariesCount LIMIT 1;
