#!/usr/bin/env bash
# Installs the official Neo4j drivers the Bolt interop tests drive (tests/it/bolt_drivers.rs):
# the Python driver into tests/tools/drivers/venv and the JavaScript driver into
# tests/tools/drivers/node_modules, at the pinned versions (requirements.txt,
# package.json + package-lock.json). Idempotent: a second run with everything in place
# does nothing. Only the package registries are reached.
set -euo pipefail
here="$(cd "$(dirname "$0")/drivers" && pwd)"
cd "$here"
if [ ! -x venv/bin/python ]; then
    python3 -m venv venv
fi
if ! venv/bin/python -c 'import neo4j, sys; sys.exit(0 if neo4j.__version__ == "6.4.1" else 1)' 2>/dev/null; then
    venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
fi
if [ ! -f node_modules/neo4j-driver/package.json ]; then
    npm ci --silent --no-audit --no-fund
fi
echo "Bolt drivers: python neo4j $(venv/bin/python -c 'import neo4j; print(neo4j.__version__)'), js neo4j-driver $(node -p 'require("./node_modules/neo4j-driver/package.json").version')"
