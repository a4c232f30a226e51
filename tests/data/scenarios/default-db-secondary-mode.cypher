// args: --servers 0 --config scenarios/default-db-secondary-mode.conf
// Seed "Default database in a cluster": a server with mode_constraint=SECONDARY gives
// fewer primaries than requested (it hosts the secondary instead).
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687', modeConstraint: 'SECONDARY'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
SHOW DATABASE neo4j YIELD address, role, writer;
