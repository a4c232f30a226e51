// args: --servers 0 --config scenarios/default-db-all-secondary.conf
// Seed "Default database in a cluster": with zero possible primaries, automatic creation
// of the default database fails.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
SHOW DATABASES;
SHOW SERVERS YIELD name, modeConstraint, hosting;
