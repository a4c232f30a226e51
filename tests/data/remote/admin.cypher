// Run through the embedded backend and through `cysh serve` + the remote backend: the
// output must be the same, timings aside.
SHOW SERVERS;
SHOW SERVERS YIELD name, address;
DROP DATABASE foo bar;
:param answer => 42
SHOW SERVERS;
MATCH (n) RETURN n;
:use neo4j
SHOW SERVERS;
:use system
CREATE DATABASE scenario_db;
SHOW DATABASES;
DROP DATABASE scenario_db;
