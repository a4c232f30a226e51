// args: --servers 0 --fail-at-end
//
// Create databases with a topology (seed: "Managing databases in a cluster", "Create
// databases").
//
// Run it:  cysh --ephemeral --servers 0 --fail-at-end -f examples/create-databases.cypher
// The expected output is in create-databases.out (tables) and create-databases.err (the
// step that fails on purpose).

// An empty embedded cluster (--servers 0) gets four servers with fixed ids and addresses,
// so this output is the same on every run. The first three form the first deployment and
// are enabled on their own; a later server joins as Free and must be enabled.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004';

// Three primaries and two secondaries need five servers, one copy each: with four, the
// command fails and creates nothing (see create-databases.err).
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASES YIELD name WHERE name = 'foo';

// A fifth server joins. ENABLE SERVER takes the server's id.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
ENABLE SERVER '00000000-0000-4000-8000-000000000005';

// Now the topology fits. CREATE DATABASE allocates the copies itself: no REALLOCATE is
// needed. SHOW DATABASE prints one row per server hosting a copy; one primary is the writer.
CREATE DATABASE foo TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASE foo;

// The same with parameters: the name and both counts may be $parameters.
:param {dbname: 'bar', primary: 3, secondary: 2}
CREATE DATABASE $dbname TOPOLOGY $primary PRIMARIES $secondary SECONDARIES;
SHOW DATABASE bar YIELD name, currentPrimariesCount, currentSecondariesCount, requestedPrimariesCount, requestedSecondariesCount LIMIT 1;

// Without TOPOLOGY the default counts apply (initial.dbms.default_primaries_count and
// initial.dbms.default_secondaries_count: 1 and 0 unless configured).
CREATE DATABASE baz;
SHOW DATABASE baz YIELD name, address, role;

// Where is everything? SHOW SERVERS lists what each server hosts.
SHOW SERVERS YIELD name, address, state, hosting ORDER BY address;
