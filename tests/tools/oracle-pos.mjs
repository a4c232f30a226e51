import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';
import { readFileSync } from 'node:fs';
const ver = process.argv[2] === '25' ? 'CYPHER 25' : 'CYPHER 5';
const lines = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
for (const l of lines) {
  const o = JSON.parse(l);
  const { diagnostics } = lintCypherQuery(o.stmt, { defaultLanguage: ver }, { consoleCommandsEnabled: false });
  const errs = diagnostics.filter((d) => d.severity === 1 && isNotParamError(d));
  o.errors = errs.map((d) => ({ message: d.message, offsets: d.offsets, range: d.range }));
  process.stdout.write(JSON.stringify(o) + '\n');
}
