// args: --servers 0 --fail-at-end
//
// Control where databases may live: allowed and denied databases, and mode constraints
// (seed: "Controlling locations with allowed/denied databases", and the mode-constraint
// case of "Create databases").
//
// Run it:  cysh --ephemeral --servers 0 --fail-at-end -f examples/constrained-servers.cypher
// Expected output: constrained-servers.out and .err (steps fail on purpose).

// Three servers of the first deployment, unconstrained.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000001', address: 'localhost:7687'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000002', address: 'localhost:7688'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000003', address: 'localhost:7689'});

// Two more join. ENABLE SERVER sets their constraints: server 4 may host only secondaries,
// server 5 may host anything but the database finance.
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000004', address: 'localhost:7690'});
CALL sim.addServer({serverId: '00000000-0000-4000-8000-000000000005', address: 'localhost:7691'});
ENABLE SERVER '00000000-0000-4000-8000-000000000004' OPTIONS {modeConstraint: 'SECONDARY'};
ENABLE SERVER '00000000-0000-4000-8000-000000000005' OPTIONS {deniedDatabases: ['finance']};
SHOW SERVERS YIELD name, address, state, modeConstraint, allowedDatabases, deniedDatabases ORDER BY address;

// Five primaries cannot fit: one of the five servers takes secondaries only.
CREATE DATABASE sales TOPOLOGY 5 PRIMARIES;
// Three primaries and two secondaries fit; the secondary-only server gets a secondary.
CREATE DATABASE sales TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
SHOW DATABASE sales YIELD address, role ORDER BY address;

// finance may not go to server 5, so five copies do not fit, four do.
CREATE DATABASE finance TOPOLOGY 3 PRIMARIES 2 SECONDARIES;
CREATE DATABASE finance TOPOLOGY 3 PRIMARIES 1 SECONDARY;
SHOW DATABASE finance YIELD address, role ORDER BY address;

// ALTER SERVER replaces all of a server's options, and copies the new options forbid move
// to other servers. Allowing only sales on server 1 is refused, changing nothing: finance
// would have too few servers left.
ALTER SERVER '00000000-0000-4000-8000-000000000001' SET OPTIONS {allowedDatabases: ['sales']};
// Allowing sales and finance works: the default database neo4j moves off server 1.
ALTER SERVER '00000000-0000-4000-8000-000000000001' SET OPTIONS {allowedDatabases: ['sales', 'finance']};
SHOW SERVERS YIELD address, allowedDatabases, hosting ORDER BY address;

// Allowed and denied lists are mutually exclusive.
ALTER SERVER '00000000-0000-4000-8000-000000000002' SET OPTIONS {allowedDatabases: ['sales'], deniedDatabases: ['finance']};

// Options left out return to their defaults: this lifts server 4's mode constraint.
ALTER SERVER '00000000-0000-4000-8000-000000000004' SET OPTIONS {};
SHOW SERVERS YIELD address, modeConstraint WHERE address = 'localhost:7690';
