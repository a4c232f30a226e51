// Extracts Neo4j's built-in function catalogue (what SHOW FUNCTIONS lists on a real
// Neo4j: name, category, signature, description, aggregating, deprecated) from the npm
// package @neo4j-cypher/language-support, whose test data records it per Cypher version.
//
// Usage: node tests/tools/functions-extract.mjs ORACLE_DIR 5|25 > src/dialect/catalog/functions-5.tsv
// ORACLE_DIR is a copy of ../shared/tools/oracle where `npm ci` has been run. Output: one
// function per line, tab-separated, sorted by name; tabs and newlines in descriptions are
// folded to spaces.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oracle, version] = process.argv.slice(2);
const file = join(resolve(oracle), 'node_modules/@neo4j-cypher/language-support/dist/esm/project/language-support/src/tests/testData.js');
const { testData } = await import(pathToFileURL(file).href);
const functions = testData.mockSchema.functions[`CYPHER ${version}`];
const clean = (s) => String(s ?? '').replace(/[\t\r\n]+/g, ' ').trim();
const rows = Object.values(functions)
  .filter((f) => f.isBuiltIn)
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  .map((f) => [f.name, f.category, f.signature, f.aggregating ? 'aggregating' : '', f.isDeprecated ? 'deprecated' : '', f.description].map(clean).join('\t'));
process.stdout.write(rows.join('\n') + '\n');
