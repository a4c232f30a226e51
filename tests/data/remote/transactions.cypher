// Explicit transactions, run through both backends.
:begin
CREATE DATABASE txone;
CREATE DATABASE txtwo;
SHOW DATABASES YIELD name WHERE name STARTS WITH "tx";
:commit
SHOW DATABASES YIELD name WHERE name STARTS WITH "tx";
:begin
DROP DATABASE txone;
:rollback
SHOW DATABASES YIELD name WHERE name STARTS WITH "tx";
:begin
DROP DATABASE nosuchdb;
:commit
:begin
CREATE DATABASE txthree WAIT;
:rollback
SHOW DATABASES YIELD name WHERE name STARTS WITH "tx";
