// Explicit transactions on the embedded cluster: :rollback undoes every statement since
// :begin; :commit keeps them.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'}) YIELD state;
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'}) YIELD state;
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'}) YIELD state;
:begin
CREATE DATABASE foo;
ALTER DATABASE neo4j SET TOPOLOGY 3 PRIMARIES;
SHOW DATABASES YIELD name, address RETURN name, count(*) AS copies;
:rollback
SHOW DATABASES YIELD name, address RETURN name, count(*) AS copies;
:begin
CREATE DATABASE bar TOPOLOGY 2 PRIMARIES;
:commit
SHOW DATABASES YIELD name, address RETURN name, count(*) AS copies;
