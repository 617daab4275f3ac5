import 'reflect-metadata';
import path from 'node:path';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { loadConfig } from '../server/src/config.js';
import { openOrm } from '../server/src/db/orm.js';
import { startHub } from '../server/src/graphql/server.js';
import { viewerOf } from '../server/src/modules/auth/token.service.js';
import { User } from '../server/src/modules/auth/user.entity.js';
import { openDraw } from '../server/src/modules/draws/draw.service.js';
import { revealDraw } from '../server/src/modules/draws/reveal.service.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { benchDatabase } from './support.js';
import pg from 'pg';
const Q = `{ inspections(first: 100) { nodes { id status enterprise { name uscc } tasks { id name } officers { id name certificateNo } findings { id results notes } } } }`;
const bench = await benchDatabase('prof');
const file = path.join(bench.dir, 'r.csv');
await writeSyntheticEnterprises(60000, file, 'p');
await runImport(bench.url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false });
const orm = await openOrm(bench.url, 10);
const staff = viewerOf(await orm.em.fork().findOneOrFail(User, { username: 'commerce.staff' }), Date.now() / 1000 + 3600);
const d = await openDraw(orm.em.fork(), staff, [1, 2, 3, 4]);
await revealDraw(orm.em.fork(), staff, d.id);
const db = new pg.Client({ connectionString: bench.url }); await db.connect();
await db.query(`insert into finding (inspection_id, item_id, department_id, results, officer_id, recorded_by_id, method, notes, recorded_at, version)
      select ic.inspection_id, ic.check_item_id, c.department_id, '{NO_PROBLEM}', io.officer_id, 1, 'ON_SITE', '现场检查未发现问题', now(), 1
        from inspection_check_item ic join check_item c on c.id = ic.check_item_id
        join lateral (select officer_id from inspection_officer where inspection_id = ic.inspection_id limit 1) io on true
       where ic.inspection_id % 2 = 0`);
await db.end();
const hub = await startHub(orm, { ...loadConfig({ LOG_LEVEL: 'silent' }), port: 0, clientDir: '/nonexistent' }, bench.url);
const login = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { login(username: "commerce.staff", password: "demo2026") { token } }' }) });
const token = ((await login.json()) as any).data.login.token;
const run = async (n: number) => { const t = Date.now(); for (let i = 0; i < n; i++) { const r = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: Q }) }); await r.text(); } return (Date.now() - t) / n; };
console.log('warm', await run(20));
const variants: Record<string,string> = {
  bare: `{ inspections(first: 100) { nodes { id status } } }`,
  enterprise: `{ inspections(first: 100) { nodes { id status enterprise { name uscc } } } }`,
  tasks: `{ inspections(first: 100) { nodes { id status tasks { id name } } } }`,
  officers: `{ inspections(first: 100) { nodes { id status officers { id name certificateNo } } } }`,
  findings: `{ inspections(first: 100) { nodes { id status findings { id results notes } } } }`,
};
for (const [name, q] of Object.entries(variants)) {
  const t = Date.now();
  for (let i = 0; i < 30; i++) { const r = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: q }) }); await r.text(); }
  console.log(name, (Date.now() - t) / 30);
}
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
console.log('ms/req', await run(60));
const { profile } = await s.post('Profiler.stop');
const fs = await import('node:fs'); fs.writeFileSync('/tmp/list.cpuprofile', JSON.stringify(profile));
await hub.close(); await orm.close(); await bench.stop();
