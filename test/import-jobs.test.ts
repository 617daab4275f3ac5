import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { projectRoot } from '../server/src/config.js';
import { UPLOAD_DIR } from '../server/src/modules/imports/import.routes.js';
import { Subscription, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
let dir: string;
beforeAll(async () => {
  hub = await TestHub.start();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-upload-'));
});
afterAll(async () => {
  await hub?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function upload(token: string | null, file: string, query: string) {
  const res = await fetch(`${hub.url}/api/imports?${query}`, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-file-name': encodeURIComponent(path.basename(file)),
      'content-type': 'application/octet-stream',
    },
    body: await fs.readFile(file),
  });
  return { status: res.status, body: await res.json() };
}

const PROGRESS = 'subscription($id: ID!) { importProgress(jobId: $id) { jobId phase rows bytesRead totalBytes status } }';
const JOB = `query($id: ID!) { importJob(id: $id) { id kind status fileName fileSize failure report
  registryReport { total inserted updated failed committed errorCount errors { row column value reason } } } }`;

/** Follows a job over the subscription until it says done; returns every update. */
async function follow(token: string, jobId: string) {
  const sub = new Subscription(hub.wsClient(token), PROGRESS, { id: jobId });
  const updates = [];
  for (;;) {
    const { data, errors } = await sub.next();
    expect(errors).toBeUndefined();
    updates.push(data!.importProgress);
    if (data!.importProgress.phase === 'done') break;
  }
  sub.close();
  return updates;
}

describe('importing from the client: upload, progress, report', () => {
  it('imports an uploaded registry and reports progress and the result', async () => {
    const staff = await hub.as('market.staff');
    const file = path.join(dir, '名录.csv');
    await writeSyntheticEnterprises(30_000, file, 'upload', 7_000_000);
    const { status, body } = await upload(staff.token, file, 'kind=ENTERPRISE&mode=INSERT');
    expect(status).toBe(202);
    const updates = await follow(staff.token!, body.job.id);
    expect(updates.at(-1)).toMatchObject({ jobId: body.job.id, phase: 'done', status: 'SUCCEEDED' });
    const { importJob } = await staff.ok(JOB, { id: body.job.id });
    expect(importJob).toMatchObject({
      kind: 'ENTERPRISE',
      status: 'SUCCEEDED',
      fileName: '名录.csv',
      registryReport: { total: 30_000, inserted: 30_000, committed: true, errorCount: 0 },
    });
    const { importJobs } = await staff.ok('{ importJobs { id } }');
    expect(importJobs.map((j: { id: string }) => j.id)).toContain(body.job.id);
  });

  it('keeps a rejected file out and shows its report; other departments cannot see the job', async () => {
    const staff = await hub.as('commerce.staff');
    const file = path.join(dir, 'bad.csv');
    await fs.writeFile(file, '统一社会信用代码,企业名称,行业,所属区域,信用风险分类\n91140500MA0000000X,坏代码,拍卖,城区,A\n');
    const { body } = await upload(staff.token, file, 'kind=ENTERPRISE');
    const updates = await follow(staff.token!, body.job.id);
    expect(updates.at(-1)).toMatchObject({ phase: 'done', status: 'REJECTED' });
    const { importJob } = await staff.ok(JOB, { id: body.job.id });
    expect(importJob.registryReport).toMatchObject({
      committed: false,
      failed: 1,
      errors: [{ row: 2, column: '统一社会信用代码', value: '91140500MA0000000X' }],
    });
    const other = await hub.as('tax.staff');
    expect((await other.query(JOB, { id: body.job.id })).errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('lets a department import only its own officers: another department’s rows and records are refused, nothing written', async () => {
    const commerce = await hub.as('commerce.staff');
    const { officers } = await commerce.ok(
      '{ officers(first: 200, statuses: [ACTIVE]) { nodes { certificateNo name department { code name } } } }',
    );
    const marketOfficer = officers.nodes.find((o: { department: { code: string } }) => o.department.code === 'market');
    const file = path.join(dir, '执法人员.csv');
    await fs.writeFile(
      file,
      [
        '执法证号,姓名,部门,状态',
        // A market officer stood down under commerce's name, and under market's own name.
        `${marketOfficer.certificateNo},${marketOfficer.name},晋城市商务局,离岗`,
        `${marketOfficer.certificateNo.replace(/.$/, 'Z')},新人,${marketOfficer.department.name},在岗`,
        'SW-NEW-0001,王新,晋城市商务局,在岗',
      ].join('\n'),
    );
    const { body } = await upload(commerce.token, file, 'kind=OFFICER&mode=UPSERT');
    const updates = await follow(commerce.token!, body.job.id);
    expect(updates.at(-1)).toMatchObject({ phase: 'done', status: 'REJECTED' });
    const { importJob } = await commerce.ok(JOB, { id: body.job.id });
    expect(importJob.registryReport).toMatchObject({ committed: false, inserted: 0, updated: 0 });
    expect(importJob.registryReport.errors).toEqual([
      expect.objectContaining({ row: 2, column: '执法证号', reason: '属于其他部门的记录，只能由该部门修改' }),
      expect.objectContaining({ row: 3, column: '部门', reason: '只能导入本部门的执法人员' }),
    ]);
    const after = await commerce.ok('query($d: String) { officers(first: 5, search: $d) { nodes { status department { code } } } }', {
      d: marketOfficer.certificateNo,
    });
    expect(after.officers.nodes).toEqual([{ status: 'ACTIVE', department: { code: 'market' } }]);
  });

  it('imports a county plan document for the uploader’s own department', async () => {
    const staff = await hub.as('qinshui-industry.staff');
    const { body } = await upload(
      staff.token,
      path.join(projectRoot, '..', 'shared', 'reference', '003_6ed3d9c3560b2f40.txt'),
      'kind=PLAN',
    );
    const updates = await follow(staff.token!, body.job.id);
    expect(updates.at(-1)).toMatchObject({ status: 'SUCCEEDED' });
    const { importJob } = await staff.ok(JOB, { id: body.job.id });
    expect(importJob.report).toMatchObject({ tasks: 8, plans: [{ year: 2024 }, { year: 2024 }] });
    const { plans } = await staff.ok('{ plans(year: 2024) { name status tasks { seq } } }');
    expect(plans.map((p: { tasks: unknown[] }) => p.tasks.length)).toEqual([4, 4]);
  });

  it('rejects a plan that is already there, saying why', async () => {
    const staff = await hub.as('commerce.staff');
    const { body } = await upload(
      staff.token,
      path.join(projectRoot, '..', 'shared', 'reference', '000_9630a72be95a4748.txt'),
      'kind=PLAN',
    );
    await follow(staff.token!, body.job.id);
    const { importJob } = await staff.ok(JOB, { id: body.job.id });
    expect(importJob.status).toBe('REJECTED');
    expect(importJob.failure).toContain('已导入');
  });

  it('checks the token, the role and the request before storing anything', async () => {
    const file = path.join(dir, 'x.csv');
    await fs.writeFile(file, 'a,b\n');
    expect((await upload(null, file, 'kind=ENTERPRISE')).status).toBe(401);
    const officer = await hub.as('commerce.officer');
    const refused = await upload(officer.token, file, 'kind=ENTERPRISE');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const staff = await hub.as('commerce.staff');
    expect((await upload(staff.token, file, 'kind=SHIPS')).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
    const garbled = await fetch(`${hub.url}/api/imports?kind=ENTERPRISE`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff.token}`, 'x-file-name': '%E0%A4%A' },
      body: 'a,b\n',
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'file' } });
    const exe = path.join(dir, 'x.exe');
    await fs.writeFile(exe, 'MZ');
    expect((await upload(staff.token, exe, 'kind=ENTERPRISE')).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  });
});

describe('a malformed file (probe finding 1)', () => {
  const JOB_STATE = 'query($id: ID!) { importJob(id: $id) { status failure } }';

  /** Transactions of this test database left open by imports (idle in transaction, or stuck in COPY). */
  async function openImportTransactions(): Promise<number> {
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
         and (state like 'idle in transaction%' or query ilike 'copy %')`,
    );
    await db.end();
    return rows[0].n as number;
  }

  it.each([
    [
      'a bad quote',
      'bad-quote.csv',
      () =>
        Promise.resolve(
          Buffer.from('统一社会信用代码,企业名称,行业,所属区域,信用风险分类\n"91140500MA0000001X,"未闭合 "引号,拍卖,城区,A\n'),
        ),
    ],
    [
      'an unclosed quote running to the end',
      'unclosed.csv',
      () =>
        Promise.resolve(
          Buffer.from(`统一社会信用代码,企业名称,行业,所属区域,信用风险分类\n91140500MA0000001X,"${'很长的名称'.repeat(400_000)}\n`),
        ),
    ],
    ['a truncated workbook', 'truncated.xlsx', async () => (await fs.readFile(await workbookFile())).subarray(0, 3000)],
    ['a file that is no zip', 'not-a-zip.xlsx', () => Promise.resolve(Buffer.from('PK\u0003\u0004 这不是 zip 文件'))],
  ])(
    'fails the job with the reason when it has %s, deletes the upload, and leaves no transaction open',
    async (_name, fileName, content) => {
      const staff = await hub.as('market.staff');
      const file = path.join(dir, fileName);
      await fs.writeFile(file, await content());
      const { body } = await upload(staff.token, file, 'kind=ENTERPRISE&mode=UPSERT');
      const updates = await follow(staff.token!, body.job.id);
      expect(updates.at(-1)).toMatchObject({ phase: 'done', status: 'FAILED' });
      const { importJob } = await staff.ok(JOB_STATE, { id: body.job.id });
      expect(importJob.status).toBe('FAILED');
      expect(importJob.failure).toMatch(/^文件无法读取/);
      expect(await openImportTransactions()).toBe(0);
      await expect(fs.access(path.join(UPLOAD_DIR, `${body.job.id}${path.extname(fileName)}`))).rejects.toThrow();
    },
  );
});

/** A small valid workbook of enterprises, to cut short. */
async function workbookFile(): Promise<string> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名录');
  sheet.addRow(['统一社会信用代码', '企业名称', '行业', '所属区域', '信用风险分类']);
  for (let i = 0; i < 2000; i++) sheet.addRow([`91140500MA0${String(i).padStart(7, '0')}`, `测试企业${i}`, '拍卖', '城区', 'A']);
  const file = path.join(dir, 'whole.xlsx');
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('a job its instance never finished (probe finding 7)', () => {
  it('is marked FAILED when an instance starts, unless a live instance still holds it', async () => {
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(
      `insert into import_job (id, kind, mode, allow_partial, file_name, file_size, department_id, created_by_id, status, created_at)
       select gen_random_uuid(), 'ENTERPRISE', 'INSERT', false, '中断.csv', 10, department_id, id, 'RUNNING', now() from app_user where username = 'market.staff'
       returning id`,
    );
    const interrupted = rows[0].id as string;
    // A second job whose instance is alive: its lock is held on another connection.
    const { rows: live } = await db.query(
      `insert into import_job (id, kind, mode, allow_partial, file_name, file_size, department_id, created_by_id, status, created_at)
       select gen_random_uuid(), 'ENTERPRISE', 'INSERT', false, '进行中.csv', 10, department_id, id, 'RUNNING', now() from app_user where username = 'market.staff'
       returning id`,
    );
    await db.query('select pg_advisory_lock(hashtext($1))', [`import-job:${live[0].id}`]);
    const second = await TestHub.attach(hub);
    try {
      const staff = await hub.as('market.staff');
      const state = async (id: string) => (await staff.ok('query($id: ID!) { importJob(id: $id) { status failure } }', { id })).importJob;
      expect(await state(interrupted)).toEqual({ status: 'FAILED', failure: '导入因服务中断而终止，未写入任何数据；请重新上传' });
      expect((await state(live[0].id)).status).toBe('RUNNING');
    } finally {
      await second.close();
      await db.end();
    }
  });
});
