// args: --servers 0 --config scenarios/default-db-secondaries.conf
// Seed "Default database in a cluster": primaries (2) plus secondaries (3) above the
// minimum (3) gives fewer secondaries.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
SHOW DATABASES;
