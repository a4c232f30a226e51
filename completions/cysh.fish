complete -c cysh -s f -l file -d 'A file of statements to run, then exit' -r -F
complete -c cysh -l format -d 'Output format: a table (verbose) on a terminal, plain when piped (auto), or one JSON object per row (json)' -r -f -a "auto\t'A table on a terminal, plain when piped'
verbose\t'A table in cypher-shell\'s frame and the row-count footer'
plain\t'Column names, then values, joined by ", "'
json\t'One JSON object per row, keys in column order (for jq)'"
complete -c cysh -l wrap -d 'Verbose format: wrap over-long cells onto more lines (true) or cut them with "…" (false)' -r -f -a "true\t''
false\t''"
complete -c cysh -l sample-rows -d 'Verbose format: number of rows sampled to compute the column widths' -r
complete -c cysh -l history -d 'Where the interactive history is kept: a file path, `in-memory` (this session only) or `disable`. Default: `history` in cysh\'s folder under the user\'s data directory' -r
complete -c cysh -l servers -d 'Number of servers in a new embedded cluster' -r
complete -c cysh -l config -d 'Settings of a new embedded cluster, in neo4j.conf `name=value` lines' -r -F
complete -c cysh -l generate -d 'Print a generated file (the man page or a shell\'s completions) and exit' -r -f -a "man\t'The man page, `man/cysh.1`'
bash\t'Bash completions, `completions/cysh.bash`'
zsh\t'Zsh completions, `completions/_cysh`'
fish\t'Fish completions, `completions/cysh.fish`'"
complete -c cysh -l non-interactive -d 'Force non-interactive mode: read statements from standard input even on a terminal'
complete -c cysh -l fail-fast -d 'Stop at the first failing statement of a script and exit 1 (the default)'
complete -c cysh -l fail-at-end -d 'Run every statement of a script, report each failure, and exit 1 at the end if any failed'
complete -c cysh -l ephemeral -d 'Keep the embedded cluster in memory; nothing is written to disk'
complete -c cysh -s v -l version -d 'Print the version and exit'
complete -c cysh -s h -l help -d 'Print help (see more with \'--help\')'
