// EXPLAIN and PROFILE through the embedded backend, `cysh serve` over HTTP and over Bolt:
// the same plan summary and plan table (timings aside). EXPLAIN changes nothing.
EXPLAIN SHOW DATABASES YIELD name, currentStatus;
PROFILE SHOW DATABASES YIELD name ORDER BY name;
EXPLAIN CREATE DATABASE planned;
SHOW DATABASE planned YIELD name;
PROFILE CREATE DATABASE planned;
SHOW DATABASE planned YIELD name;
EXPLAIN RETURN 1 AS one, 'two' AS `the two`;
PROFILE UNWIND range(1, 3) AS x RETURN x;
DROP DATABASE planned;
