// args: --servers 0 --config scenarios/default-db-none.conf
// Seed "Default database in a cluster": when every initial server denies the default
// database there is no default database, and creation is not re-attempted when a
// server that could host it joins later.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690', deniedDatabases: []});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';
SHOW DATABASES;
SHOW DEFAULT DATABASE;
