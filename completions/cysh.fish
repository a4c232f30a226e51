# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cysh_global_optspecs
    string join \n f/file= P/param= format= wrap= sample-rows= history= idle-timeout= notifications log= transaction-timeout= enable-autocompletions non-interactive fail-fast fail-at-end dry-run ephemeral data-dir= recover servers= a/address= u/username= p/password= change-password encryption= access-mode= error-format= impersonate= cypher-version= d/database= config= v/version driver-version h/help
end

function __fish_cysh_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cysh_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cysh_using_subcommand
    set -l cmd (__fish_cysh_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cysh -n "__fish_cysh_needs_command" -s f -l file -d 'A file of statements to run, then exit. Statements end with `;`; colon-commands (`:param`, `:use`, ...) may appear on their own lines. A failure names its line' -r -F
complete -c cysh -n "__fish_cysh_needs_command" -s P -l param -d 'Add a parameter to the session: `-P \'{a: 1, b: "x"}\'`, `-P \'a => 1\'` or JSON (`-P \'{"a": 1}\'`). Repeatable; later values may use earlier ones' -r
complete -c cysh -n "__fish_cysh_needs_command" -l format -d 'Output format: a table (verbose) on a terminal, plain when piped (auto), or one JSON object per row (json)' -r -f -a "auto\t'A table on a terminal, plain when piped'
verbose\t'A table in cypher-shell\'s frame and the row-count footer'
plain\t'Column names, then values, joined by ", "'
json\t'One JSON object per row, keys in column order (for jq)'"
complete -c cysh -n "__fish_cysh_needs_command" -l wrap -d 'Verbose format: wrap over-long cells onto more lines (true) or cut them with "…" (false)' -r -f -a "true\t''
false\t''"
complete -c cysh -n "__fish_cysh_needs_command" -l sample-rows -d 'Verbose format: number of rows sampled to compute the column widths' -r
complete -c cysh -n "__fish_cysh_needs_command" -l history -d 'Where the interactive history is kept: a file path, `in-memory` (this session only) or `disable`. Default: `history` in cysh\'s folder under the user\'s data directory. Can also be set with CYSH_HISTORY or cypher-shell\'s NEO4J_CYPHER_SHELL_HISTORY (in that order)' -r
complete -c cysh -n "__fish_cysh_needs_command" -l idle-timeout -d 'Closes the application after this much idle time at the interactive prompt, as `<hours>h<minutes>m<seconds>s` (`1h`, `1h30m`, `30m`), or `disable`. The time a statement runs does not count' -r
complete -c cysh -n "__fish_cysh_needs_command" -l log -d 'Log what the client does on the wire (connections, logins, routing, each statement sent, with passwords masked, and how it ended) to LOG-FILE, or to standard error when no file is given. `--debug` is the same' -r -F
complete -c cysh -n "__fish_cysh_needs_command" -l transaction-timeout -d 'A timeout for every transaction of the session: `<hours>h<minutes>m<seconds>s` (`1h30m`, `10m`, `45s`) or `disable` (the default). Sent with each statement over Bolt (tx_timeout) and the Query API (maxExecutionTime, whole seconds); the embedded cluster answers at once and has nothing to time out, so it accepts and ignores it' -r
complete -c cysh -n "__fish_cysh_needs_command" -l data-dir -d 'Where the embedded cluster is kept (a SQLite database and a lock file). Default: `cysh` under the user\'s data directory (~/.local/share/cysh on Linux)' -r -F
complete -c cysh -n "__fish_cysh_needs_command" -l servers -d 'Number of servers in a new embedded cluster [default: 3] (a data directory holding a cluster that has been changed keeps its servers; an unchanged one is set up anew)' -r
complete -c cysh -n "__fish_cysh_needs_command" -s a -l address -l uri -d 'The Neo4j server to connect to, as cypher-shell takes it: neo4j://HOST:7687 (routed), bolt://HOST:7687 (direct), their +s (TLS, verified) and +ssc (TLS, self-signed accepted) forms, or http://HOST:7474 / https://HOST:7473 for the HTTP Query API. No scheme means neo4j://, no port 7687; user:password@HOST works. Without it the embedded cluster is used. [env: NEO4J_ADDRESS or NEO4J_URI]' -r
complete -c cysh -n "__fish_cysh_needs_command" -s u -l username -d 'The user to connect as (`-u neo4j`). Without one, no credentials are sent' -r
complete -c cysh -n "__fish_cysh_needs_command" -s p -l password -d 'The password of -u; prompted for on a terminal when a username is given without one (prefer the prompt or NEO4J_PASSWORD: a flag shows in the process list)' -r
complete -c cysh -n "__fish_cysh_needs_command" -l encryption -d 'Bolt: encrypt the connection (true: TLS verified against the system\'s trust store), not (false), or as the address\'s scheme says (default)' -r -f -a "true\t'TLS'
false\t'No TLS'
default\t'As the address\'s scheme says'"
complete -c cysh -n "__fish_cysh_needs_command" -l access-mode -d 'Bolt: send statements to the cluster\'s writers (write) or readers (read)' -r -f -a "write\t'Writers'
read\t'Readers'"
complete -c cysh -n "__fish_cysh_needs_command" -l error-format -d 'Bolt: print a server\'s errors as Neo4j status code and message (legacy), as GQLSTATUS and description (gql, from servers speaking Bolt 5.7+), or with every detail the server sent and its causes (stacktrace). The default is legacy (cypher-shell defaults to gql since 2025.06)' -r -f -a "gql\t'GQLSTATUS and description'
legacy\t'Neo4j status code and message'
stacktrace\t'Everything the server said: code and message, GQL status and description, and each cause'"
complete -c cysh -n "__fish_cysh_needs_command" -l impersonate -d 'Run statements as this user (their privileges and home database), which needs the IMPERSONATE privilege; only reads run while impersonating. `:impersonate` changes it' -r
complete -c cysh -n "__fish_cysh_needs_command" -l cypher-version -d 'The Cypher version statements are parsed in: 5 (the default of Neo4j 5.26 and 2025.x servers) or 25. A statement\'s own `CYPHER 5` / `CYPHER 25` prefix wins' -r -f -a "5\t''
25\t''"
complete -c cysh -n "__fish_cysh_needs_command" -s d -l database -d 'The database statements run against (default: system, where the admin statements run). `:use` changes it during a session' -r
complete -c cysh -n "__fish_cysh_needs_command" -l config -d 'Settings of a new embedded cluster, in neo4j.conf `name=value` lines' -r -F
complete -c cysh -n "__fish_cysh_needs_command" -l notifications -d 'Print the server\'s notifications (warnings and information, with their codes) after each result in the verbose format (off by default, as in cypher-shell)'
complete -c cysh -n "__fish_cysh_needs_command" -l enable-autocompletions -d 'Accepted for cypher-shell\'s command lines: cysh always completes keywords, names and parameters with TAB'
complete -c cysh -n "__fish_cysh_needs_command" -l non-interactive -d 'Force non-interactive mode: read statements from standard input even on a terminal'
complete -c cysh -n "__fish_cysh_needs_command" -l fail-fast -d 'Stop at the first failing statement of a script and exit 1 (the default)'
complete -c cysh -n "__fish_cysh_needs_command" -l fail-at-end -d 'Run every statement of a script, report each failure, and exit 1 at the end if any failed'
complete -c cysh -n "__fish_cysh_needs_command" -l dry-run -d 'Run the statements (-f FILE, a statement argument or standard input) as one dry run on the embedded cluster: each statement\'s result or error, then the plan of the whole script (allocation changes, load per server before and after, a verdict). Everything is rolled back. Exit 1 if any statement failed'
complete -c cysh -n "__fish_cysh_needs_command" -l ephemeral -d 'Keep the embedded cluster in memory; nothing is written to disk, and every run starts from a new cluster (what the scripts under examples/ use)'
complete -c cysh -n "__fish_cysh_needs_command" -l recover -d 'Open a data directory whose write-ahead log is damaged, continuing from its last intact commit (a copy of the store as found is kept beside it)'
complete -c cysh -n "__fish_cysh_needs_command" -l change-password -d 'Bolt: change the user\'s password on connecting (prompts for the new one twice), as happens anyway on a terminal when the server requires it'
complete -c cysh -n "__fish_cysh_needs_command" -s v -l version -d 'Print the version and exit'
complete -c cysh -n "__fish_cysh_needs_command" -l driver-version -d 'Print the version of the client that talks to Neo4j (cysh\'s own Bolt and Query API client) and exit'
complete -c cysh -n "__fish_cysh_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cysh -n "__fish_cysh_needs_command" -a "check" -d 'Check the syntax and parameters of statements without executing anything'
complete -c cysh -n "__fish_cysh_needs_command" -a "serve" -d 'Serve the embedded cluster over Neo4j\'s HTTP Query API v2 and, with --bolt, Bolt'
complete -c cysh -n "__fish_cysh_needs_command" -a "twin" -d 'Copy a live cluster\'s servers, databases, allocations and defaults into a new embedded cluster, to rehearse statements on it (`:dryrun`)'
complete -c cysh -n "__fish_cysh_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cysh -n "__fish_cysh_using_subcommand check" -s P -l param -d 'A parameter map (`{a: 1}`, `name => value` or JSON); repeatable. Statements are checked against these and the input\'s `:param` lines: a missing `$param` or one of the wrong type is an error' -r
complete -c cysh -n "__fish_cysh_using_subcommand check" -l cypher-version -d 'The Cypher version statements are checked in: 5 (the default of Neo4j 5.26 and 2025.x servers) or 25. A statement\'s own `CYPHER 5` / `CYPHER 25` prefix wins' -r -f -a "5\t''
25\t''"
complete -c cysh -n "__fish_cysh_using_subcommand check" -l json -d 'One JSON object per statement on standard output, instead of each problem with a caret under it'
complete -c cysh -n "__fish_cysh_using_subcommand check" -s h -l help -d 'Print help'
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l listen -d 'The address to listen on (port 0 picks a free port; the bound address is printed)' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l data-dir -d 'The data directory of the served cluster (default: the same one the shell uses)' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l servers -d 'Number of servers in a new embedded cluster [default: 3] (a data directory holding a cluster that has been changed keeps its servers; an unchanged one is set up anew)' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l config -d 'Settings of the new embedded cluster, in neo4j.conf `name=value` lines' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l tls-cert -d 'Serve HTTPS with this PEM certificate chain (needs --tls-key)' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l tls-key -d 'The PEM private key for --tls-cert' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l max-connections -d 'Connections held open at most [default: 2048, less when the open-file limit is lower]; a client past them is answered 503 and closed' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l idle-timeout -d 'Seconds a connection may take to send a request\'s headers, and may stay idle between requests, before it is closed' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l bolt -d 'Serve Bolt too, on this address [default when given without one: 127.0.0.1:7687] (port 0 picks a free port; the bound address is printed). With --tls-cert, Bolt is served over TLS too' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l bolt-advertised-address -d 'The host:port that Bolt routing tables advertise for this server [default: the bound Bolt address]' -r
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l ephemeral -d 'Keep the cluster in memory; nothing is written to disk'
complete -c cysh -n "__fish_cysh_using_subcommand serve" -l recover -d 'Open a data directory whose write-ahead log is damaged, continuing from its last intact commit (a copy of the store as found is kept beside it)'
complete -c cysh -n "__fish_cysh_using_subcommand serve" -s h -l help -d 'Print help'
complete -c cysh -n "__fish_cysh_using_subcommand twin" -l from -d 'The live cluster\'s address: over Bolt as the shell\'s -a takes it (neo4j://HOST:7687, bolt://, their +s/+ssc forms, or HOST[:PORT]), or over the Query API (http://HOST:7474 or https://HOST:7473)' -r
complete -c cysh -n "__fish_cysh_using_subcommand twin" -l from-json -d 'A snapshot file instead of a live cluster (the format is in the long help)' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand twin" -l data-dir -d 'The new data directory to write the twin into (absent or empty)' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand twin" -s u -l username -d 'The user to connect as (`-u neo4j`). Without one, no credentials are sent' -r
complete -c cysh -n "__fish_cysh_using_subcommand twin" -s p -l password -d 'The password of -u; prompted for on a terminal when a username is given without one (prefer the prompt or NEO4J_PASSWORD: a flag shows in the process list)' -r
complete -c cysh -n "__fish_cysh_using_subcommand twin" -l save-json -d 'Also write the snapshot that was read to FILE (the --from-json format)' -r -F
complete -c cysh -n "__fish_cysh_using_subcommand twin" -s h -l help -d 'Print help'
complete -c cysh -n "__fish_cysh_using_subcommand help; and not __fish_seen_subcommand_from check serve twin help" -f -a "check" -d 'Check the syntax and parameters of statements without executing anything'
complete -c cysh -n "__fish_cysh_using_subcommand help; and not __fish_seen_subcommand_from check serve twin help" -f -a "serve" -d 'Serve the embedded cluster over Neo4j\'s HTTP Query API v2 and, with --bolt, Bolt'
complete -c cysh -n "__fish_cysh_using_subcommand help; and not __fish_seen_subcommand_from check serve twin help" -f -a "twin" -d 'Copy a live cluster\'s servers, databases, allocations and defaults into a new embedded cluster, to rehearse statements on it (`:dryrun`)'
complete -c cysh -n "__fish_cysh_using_subcommand help; and not __fish_seen_subcommand_from check serve twin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
