// args: --servers 0
//
// Relieve a server under pressure, empty a server before removing it, and spread
// databases onto new servers, always looking at the plan first with a dry run (seed:
// "Deallocate databases", "Reallocate databases").
//
// Run it:  cysh --ephemeral --servers 0 -f examples/deallocate-and-reallocate.cypher
// Expected output: deallocate-and-reallocate.out (nothing fails).

// Four servers, renamed server01..server04 so the statements read like the manual's.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL dbms.cluster.setAutomaticallyEnableFreeServers(true);
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
RENAME SERVER '00000000-0000-4000-8000-000000000001' TO 'server01';
RENAME SERVER '00000000-0000-4000-8000-000000000002' TO 'server02';
RENAME SERVER '00000000-0000-4000-8000-000000000003' TO 'server03';
RENAME SERVER '00000000-0000-4000-8000-000000000004' TO 'server04';
CREATE DATABASE foo TOPOLOGY 2 PRIMARIES;
CREATE DATABASE bar TOPOLOGY 2 PRIMARIES;
CREATE DATABASE baz TOPOLOGY 3 PRIMARIES;
SHOW SERVERS YIELD name, state, hosting;

// 1. server02 is under pressure: move the big database baz off it. The last argument
//    true is a dry run: it prints the planned moves and changes nothing. Then the real
//    run. These procedures move databases but leave the server Enabled.
CALL dbms.cluster.deallocateDatabaseFromServer('server02', 'baz', true);
CALL dbms.cluster.deallocateDatabaseFromServer('server02', 'baz');
// Or any number of databases, chosen by the cluster:
CALL dbms.cluster.deallocateNumberOfDatabases('server02', 1, true);
SHOW SERVERS YIELD name, state, hosting;

// 2. server04 is to be retired. DRYRUN DEALLOCATE shows where its databases would go;
//    DEALLOCATE moves them and the server becomes Deallocated (irreversible); then it can
//    be dropped, and disappears once its process stops.
DRYRUN DEALLOCATE DATABASES FROM SERVER 'server04';
DEALLOCATE DATABASES FROM SERVER 'server04';
SHOW SERVERS YIELD name, state, hosting;
DROP SERVER 'server04';
CALL sim.stopServer('server04');

// 3. Two new servers join (enabled automatically). New servers host nothing until an
//    allocation happens: REALLOCATE DATABASES rebalances. Dry run first, then for real.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000006', address: 'localhost:7692'});
RENAME SERVER '00000000-0000-4000-8000-000000000005' TO 'server05';
RENAME SERVER '00000000-0000-4000-8000-000000000006' TO 'server06';
DRYRUN REALLOCATE DATABASES;
// On a large cluster, move a few copies at a time instead: the plan is the lowest maximum
// load reachable within that many moves (here one move cannot lower it, so none).
CALL dbms.cluster.reallocateNumberOfDatabases(1, true);
REALLOCATE DATABASES;
SHOW SERVERS YIELD name, state, hosting;

// Balanced now: the dry run plans no moves.
DRYRUN REALLOCATE DATABASES;
