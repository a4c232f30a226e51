// Seed "Create databases" / "Alter database topology" with parameters.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
CALL dbms.cluster.setAutomaticallyEnableFreeServers(true);
:param {dbname: 'foo', primary: 3, secondary: 2}
CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES;
SHOW DATABASE foo YIELD address, role;
:param {dbname: 'foo', primary: 2, secondary: 1}
ALTER DATABASE $dbname SET TOPOLOGY $primary PRIMARIES $secondary SECONDARIES;
SHOW DATABASE foo YIELD address, role;
:param {server: '00000000-0000-4000-8000-000000000005', n: 1}
CALL dbms.cluster.cordonServer($server);
SHOW SERVERS YIELD name, state WHERE name = $server;
SHOW DATABASES YIELD name, address SKIP 1 LIMIT 1;
CREATE DATABASE $missing;
