// Seed "Change the default database" (5.x rules) and SHOW DEFAULT / HOME DATABASE.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES;
SHOW DEFAULT DATABASE;
CALL dbms.setDefaultDatabase("foo");
STOP DATABASE neo4j;
CALL dbms.setDefaultDatabase("nothere");
CALL dbms.setDefaultDatabase("system");
CALL dbms.setDefaultDatabase("foo");
START DATABASE neo4j;
SHOW DEFAULT DATABASE;
SHOW HOME DATABASE;
SHOW DATABASES YIELD name, default, home, requestedStatus, currentStatus, role, address WHERE address = 'localhost:7687';
DROP DATABASE system;
STOP DATABASE system;
MATCH (n) RETURN n;
