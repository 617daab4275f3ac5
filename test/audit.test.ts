import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { entryHash, purgeAudit } from '../server/src/modules/audit/audit.service.js';
import { codes, superuser, TEST_AUDIT_KEY, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
  await hub.setPlanStatus(1, 'DRAFT'); // task edits below need a draft plan
});
afterAll(async () => hub?.close());

/** `npm run hub -- verify-audit`, as an operator runs it: the hub's role and the audit key. */
function verify(...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'verify-audit', ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: hub.appUrl, AUDIT_KEY: TEST_AUDIT_KEY },
      encoding: 'utf8',
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

const LOG = '{ auditLog(first: 50) { id actorId departmentId operation target success errorCode inputDigest prevHash hash } }';

describe('audit log', () => {
  it('records every mutation, refused ones too, readable by auditors only', async () => {
    await hub.anonymous.query('mutation { login(username: "commerce.staff", password: "wrong") { token } }');
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 1) { version } }');
    await staff.ok('mutation($v: Int!) { updateTask(id: 1, input: { version: $v, name: "审计测试" }) { id } }', { v: task.version });
    await (await hub.as('market.staff')).query('mutation { updateTask(id: 1, input: { version: 1, name: "越权" }) { id } }');

    expect(codes(await staff.query(LOG))).toEqual(['FORBIDDEN']);
    const { auditLog } = await (await hub.as('auditor')).ok(LOG);
    const byOperation = (op: string) => auditLog.filter((e: { operation: string }) => e.operation === op);
    expect(byOperation('login')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: null, success: false, errorCode: 'UNAUTHENTICATED', target: 'username=commerce.staff' }),
        expect.objectContaining({ success: true, target: 'username=commerce.staff' }),
      ]),
    );
    expect(
      byOperation('updateTask').map((e: { success: boolean; errorCode: string | null; target: string }) => [
        e.success,
        e.errorCode,
        e.target,
      ]),
    ).toEqual([
      [false, 'FORBIDDEN', 'id=1'],
      [true, null, 'id=1'],
    ]);
    // Newest first, each pointing at the one before.
    for (let i = 0; i + 1 < auditLog.length; i++) expect(auditLog[i].prevHash).toBe(auditLog[i + 1].hash);
    // The password never reaches the digest's input.
    expect(auditLog.every((e: { inputDigest: string }) => /^[0-9a-f]{64}$/.test(e.inputDigest))).toBe(true);
  });

  it('reads in Chinese, narrows by account, department, operation, outcome and date, and exports what it shows', async () => {
    const auditor = await hub.as('auditor');
    const staff = await hub.as('commerce.staff');
    const { me } = await staff.ok('{ me { id department { id } } }');
    await staff.query('mutation { updateTask(id: 1, input: { version: 0, name: "旧版本" }) { id } }');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const FILTERED = `query($a: ID, $d: ID, $o: String, $s: Boolean, $f: String, $t: String) {
      auditLog(actorId: $a, departmentId: $d, operation: $o, success: $s, from: $f, to: $t) {
        operation operationName success actor { username displayName } department { name } } }`;
    const { auditLog } = await auditor.ok(FILTERED, { a: me.id, d: me.department.id, o: 'updateTask', s: false, f: today, t: today });
    expect(auditLog.length).toBeGreaterThan(0);
    for (const e of auditLog) {
      expect(e).toEqual({
        operation: 'updateTask',
        operationName: '修改抽查任务',
        success: false,
        actor: { username: 'commerce.staff', displayName: expect.any(String) },
        department: { name: '晋城市商务局' },
      });
    }
    expect((await auditor.ok(FILTERED, { f: '2020-01-01', t: '2020-01-31' })).auditLog).toEqual([]);
    expect((await auditor.query(FILTERED, { f: '2026/01/01' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'from',
    });

    // The export: the same filter, a CSV with a BOM and Chinese headers; the export is itself logged.
    const query = new URLSearchParams({ actorId: me.id, operation: 'updateTask', success: 'false' });
    const response = await fetch(`${hub.url}/api/audit.csv?${query}`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(response.status).toBe(200);
    const csv = await response.text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('序号,时间,账号,姓名,部门,操作,操作代码,对象,结果,错误代码,输入摘要,本条哈希');
    expect(lines.length - 1).toBe(auditLog.length);
    expect(lines[1]).toContain(',commerce.staff,');
    expect(lines[1]).toContain(',晋城市商务局,修改抽查任务,updateTask,id=1,失败,');
    const refused = await fetch(`${hub.url}/api/audit.csv`, { headers: { authorization: `Bearer ${staff.token}` } });
    expect(refused.status).toBe(403);
    expect((await fetch(`${hub.url}/api/audit.csv`)).status).toBe(401);
    const { auditLog: exports } = await auditor.ok(FILTERED, { o: 'exportAudit' });
    expect(exports[0]).toMatchObject({ operationName: '导出审计日志', success: true, actor: { username: 'auditor' } });
  });

  it('has a Chinese name for every mutation', async () => {
    const { auditOperations } = await (await hub.as('auditor')).ok('{ auditOperations { operation name } }');
    const named = new Map(auditOperations.map((o: { operation: string; name: string }) => [o.operation, o.name]));
    const { __schema } = await (await hub.as('commerce.staff')).ok('{ __schema { mutationType { fields { name } } } }');
    for (const { name } of __schema.mutationType.fields as { name: string }[]) {
      expect([name, named.get(name)]).toEqual([name, expect.stringMatching(/^[\u4e00-\u9fa5（）]+$/)]);
    }
  });

  it("gives the hub's own database role no way to alter, remove or hide an entry", async () => {
    const app = await superuser(hub.appUrl);
    const { rows } = await app.query<{ id: string }>('select id from audit_log order by id limit 1');
    for (const sql of [
      `update audit_log set target = 'x' where id = ${rows[0].id}`,
      `delete from audit_log where id = ${rows[0].id}`,
      'truncate audit_log',
      'alter table audit_log disable trigger user',
      'drop trigger audit_log_append_only on audit_log',
      'set session_replication_role = replica',
      'create table public.shadow (id int)',
    ]) {
      await expect(app.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
    }
    await app.end();
    // Even a superuser meets the trigger: young entries stay, old ones only go by a purge.
    const db = await superuser(hub.databaseUrl);
    await expect(db.query(`update audit_log set target = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from audit_log`)).rejects.toThrow(/younger than 180 days/);
    await expect(db.query(`truncate audit_log`)).rejects.toThrow(/cannot be truncated/);
    await expect(purgeAudit(db, new Date())).rejects.toThrow(/180 天/);
    expect(await purgeAudit(db, new Date(Date.now() - 200 * 86_400_000))).toBe(0);
    await db.end();
  });

  it("exposes an entry forged with the hub's own credentials: the chain is signed with a key the database does not hold", async () => {
    expect(verify().code).toBe(0);
    const app = await superuser(hub.appUrl);
    const [last] = (await app.query<{ hash: string }>('select hash from audit_log order by id desc limit 1')).rows;
    // The forger knows the format and the previous hash, and recomputes the hash as the old unkeyed chain did.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const fields = {
      at,
      actorId: 1,
      departmentId: 1,
      operation: 'approvePlan',
      target: 'id=1',
      success: true,
      errorCode: null,
      inputDigest: '0'.repeat(64),
    };
    const forgedHash = entryHash(null, last.hash, fields);
    for (const keyed of [true, false]) {
      const { rows } = await app.query<{ id: string }>(
        `insert into audit_log (at, actor_id, department_id, operation, target, success, error_code, input_digest, prev_hash, hash, keyed)
         values ($1, 1, 1, 'approvePlan', 'id=1', true, null, $2, $3, $4, $5) returning id`,
        [at.toISOString(), fields.inputDigest, last.hash, forgedHash, keyed],
      );
      const result = verify();
      expect(result.code).toBe(1);
      expect(result.out).toContain(`BROKEN at ${rows[0].id}: ${keyed ? '本条内容与其哈希不符' : '本条未用审计密钥签名'}`);
      // Cleared again (only a superuser with the trigger off can) for the next case.
      const db = await superuser(hub.databaseUrl);
      await db.query('alter table audit_log disable trigger user');
      await db.query('delete from audit_log where id = $1', [rows[0].id]);
      await db.query('alter table audit_log enable trigger user');
      await db.end();
    }
    await app.end();
    expect(verify().code).toBe(0);
  });

  it('commits a mutation only with its audit entry: an entry that cannot be written fails the mutation and nothing changes', async () => {
    const staff = await hub.as('commerce.staff');
    const { task } = await staff.ok('{ task(id: 1) { version name } }');
    const db = await superuser(hub.databaseUrl);
    await db.query(`create function refuse_audit() returns trigger language plpgsql as $$
      begin if new.operation = 'updateTask' and new.success then raise exception 'audit store unavailable'; end if; return new; end $$`);
    await db.query('create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()');
    const result = await staff.query('mutation($v: Int!) { updateTask(id: 1, input: { version: $v, name: "无审计不生效" }) { id } }', {
      v: task.version,
    });
    await db.query('drop trigger refuse_audit on audit_log');
    await db.query('drop function refuse_audit()');
    await db.end();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].message).not.toContain('audit store');
    expect((await staff.ok('{ task(id: 1) { version name } }')).task).toEqual(task);
    // The refused attempt itself is on record.
    const { auditLog } = await (await hub.as('auditor')).ok('{ auditLog(operation: "updateTask", first: 1) { success errorCode } }');
    expect(auditLog[0]).toEqual({ success: false, errorCode: 'INTERNAL_SERVER_ERROR' });
  });

  it('verify-audit with an exported checkpoint notices a cut tail that the chain alone cannot', async () => {
    const auditor = await hub.as('auditor');
    const { auditCheckpoint } = await auditor.ok('{ auditCheckpoint { entryId hash at signature } }');
    expect(codes(await (await hub.as('admin')).query('{ auditCheckpoint { entryId } }'))).toEqual(['FORBIDDEN']);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'checkpoint-'));
    const file = path.join(dir, 'checkpoint.json');
    await fs.writeFile(file, JSON.stringify(auditCheckpoint));
    expect(verify('--checkpoint', file).code).toBe(0);
    // A forged checkpoint (another entry named, the signature kept) is refused.
    await fs.writeFile(path.join(dir, 'forged.json'), JSON.stringify({ ...auditCheckpoint, entryId: '1' }));
    expect(verify('--checkpoint', path.join(dir, 'forged.json')).out).toContain('校验点签名无效');

    // The database's owner cuts the tail from the checkpoint on: the rest is still a valid chain.
    const db = await superuser(hub.databaseUrl);
    const saved = (await db.query('select * from audit_log where id >= $1 order by id', [auditCheckpoint.entryId])).rows;
    await db.query('alter table audit_log disable trigger user');
    await db.query('delete from audit_log where id >= $1', [auditCheckpoint.entryId]);
    expect(verify().code).toBe(0);
    const cut = verify('--checkpoint', file);
    expect(cut).toEqual({ code: 1, out: expect.stringContaining(`BROKEN at ${auditCheckpoint.entryId}: 校验点记录的条目已不存在`) });
    // Put back for the test after this one.
    for (const r of saved) {
      await db.query(
        `insert into audit_log (id, at, actor_id, department_id, operation, target, success, error_code, input_digest, prev_hash, hash, keyed)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          r.id,
          r.at,
          r.actor_id,
          r.department_id,
          r.operation,
          r.target,
          r.success,
          r.error_code,
          r.input_digest,
          r.prev_hash,
          r.hash,
          r.keyed,
        ],
      );
    }
    await db.query('alter table audit_log enable trigger user');
    await db.end();
    expect(verify('--checkpoint', file).code).toBe(0);
    await fs.rm(dir, { recursive: true });
  });

  it('verify-audit says OK for an intact chain and names the first altered or deleted entry', async () => {
    expect(verify()).toEqual({ code: 0, out: expect.stringMatching(/^OK（\d+ 条）\n$/) });
    expect((await (await hub.as('auditor')).ok('{ auditChain { ok entries } }')).auditChain).toMatchObject({
      ok: true,
      entries: expect.any(Number),
    });
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query('select id, target from audit_log order by id');
    expect(rows.length).toBeGreaterThan(3);
    // Altered (by someone who can switch the trigger off: a database superuser).
    await db.query('alter table audit_log disable trigger user');
    await db.query(`update audit_log set target = 'id=999' where id = $1`, [rows[1].id]);
    await db.query('alter table audit_log enable trigger user');
    const altered = verify();
    expect(altered.code).toBe(1);
    expect(altered.out).toContain(`BROKEN at ${rows[1].id}: 本条内容与其哈希不符`);
    await db.query('alter table audit_log disable trigger user');
    await db.query(`update audit_log set target = $2 where id = $1`, [rows[1].id, rows[1].target]);
    // Deleted: the next entry no longer points at its predecessor.
    await db.query('delete from audit_log where id = $1', [rows[2].id]);
    await db.query('alter table audit_log enable trigger user');
    const deleted = verify();
    expect(deleted.code).toBe(1);
    expect(deleted.out).toContain(`BROKEN at ${rows[3].id}: 上一条哈希不符`);
    // The auditor's page asks the same check through the API; nobody else may.
    const CHAIN = '{ auditChain { ok brokenEntryId reason } }';
    expect((await (await hub.as('auditor')).ok(CHAIN)).auditChain).toMatchObject({ ok: false, brokenEntryId: String(rows[3].id) });
    expect(codes(await (await hub.as('admin')).query(CHAIN))).toEqual(['FORBIDDEN']);
    await db.end();
  });
});
