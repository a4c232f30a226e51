SHOW DEFAULT DATABASE YIELD name;
:param {sourced: 1}
