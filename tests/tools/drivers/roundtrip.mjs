// Bolt interop round trip with the official JavaScript driver (tests/it/bolt_drivers.rs).
//
// Usage: node roundtrip.mjs URL USER PASSWORD NEWDB
// The same steps and output as roundtrip.py.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const neo4j = require('neo4j-driver');

const [url, user, password, newdb] = process.argv.slice(2);
const out = (step, extra) => {
  const o = { step, ...extra };
  const sorted = Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  console.log(JSON.stringify(sorted));
};
const plain = (v) => (neo4j.isInt(v) ? v.toNumber() : Array.isArray(v) ? v.map(plain) : v);
const rows = (records) => records.map((r) => Object.fromEntries(r.keys.map((k) => [k, plain(r.get(k))])));

const driver = neo4j.driver(url, neo4j.auth.basic(user, password));
try {
  await driver.verifyConnectivity();
  out('connected', { agent: require('neo4j-driver/package.json').version });
  await driver.executeQuery(`CREATE DATABASE ${newdb}`, {}, { database: 'system' });
  const session = driver.session({ database: 'system' });
  let tx = await session.beginTransaction();
  await tx.run(`CREATE DATABASE ${newdb}rolledback`);
  const seen = rows((await tx.run(`SHOW DATABASE ${newdb}rolledback YIELD name`)).records);
  await tx.rollback();
  let after = rows((await session.run(`SHOW DATABASE ${newdb}rolledback YIELD name`)).records);
  out('rollback', { rows: seen, after });
  tx = await session.beginTransaction();
  await tx.run(`CREATE DATABASE ${newdb}committed`);
  await tx.commit();
  after = rows((await session.run(`SHOW DATABASE ${newdb}committed YIELD name`)).records);
  out('commit', { after });
  await session.close();
  // EXPLAIN and PROFILE: the plan in the summary (EXPLAIN changes nothing).
  const tree = (p) => p && JSON.parse(JSON.stringify(p, (k, v) => (neo4j.isInt(v) ? v.toNumber() : v)));
  let s = (await driver.executeQuery(`EXPLAIN CREATE DATABASE ${newdb}explained`, {}, { database: 'system' })).summary;
  out('explain', { plan: tree(s.plan || null), profile: tree(s.profile || null) });
  const p = await driver.executeQuery('PROFILE SHOW DATABASES YIELD name', {}, { database: 'system' });
  out('profile', { plan: tree(p.summary.plan || null), profile: tree(p.summary.profile || null), count: p.records.length });
  // Listed last, so the shell run after the script sees the same state.
  let r = await driver.executeQuery(
    'SHOW DATABASES YIELD name, currentStatus, requestedStatus, home, default', {}, { database: 'system' });
  out('databases', { rows: rows(r.records) });
  r = await driver.executeQuery('SHOW SERVERS YIELD name, address, state, health, hosting', {}, { database: 'system' });
  out('servers', { rows: rows(r.records) });
  try {
    await driver.executeQuery('SHOW DATABSES', {}, { database: 'system' });
    out('syntax', { error: null });
  } catch (e) {
    out('syntax', { error: e.code });
  }
} finally {
  await driver.close();
}
const wrong = neo4j.driver(url, neo4j.auth.basic(user, password + '-wrong'));
try {
  await wrong.verifyConnectivity();
  out('wrong-password', { error: null });
} catch (e) {
  out('wrong-password', { error: e.code });
} finally {
  await wrong.close();
}
