// Aliases and composite databases as far as SHOW DATABASES and DROP need them.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CREATE DATABASE foo;
CREATE ALIAS bar FOR DATABASE foo;
CREATE COMPOSITE DATABASE garden;
CREATE ALIAS garden.flowers FOR DATABASE foo;
CREATE ALIAS garden.remote FOR DATABASE neo4j AT 'neo4j+s://example.com:7687' USER alice PASSWORD 'secret';
SHOW DATABASES YIELD name, type, aliases, address, role, writer, constituents;
SHOW ALIASES FOR DATABASES;
DROP DATABASE foo;
DROP DATABASE foo CASCADE ALIASES;
DROP DATABASE garden;
SHOW ALIASES FOR DATABASES;
SHOW DATABASES YIELD name, type;
