import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { purgeAudit } from '../server/src/modules/audit/audit.service.js';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
  await hub.setPlanStatus(1, 'DRAFT'); // task edits below need a draft plan
});
afterAll(async () => hub?.close());

function verify(): { code: number; out: string } {
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'verify-audit'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: hub.databaseUrl },
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

  it('refuses updates, young deletes and truncation, even from the application role', async () => {
    const db = await superuser(hub.databaseUrl);
    await expect(db.query(`update audit_log set target = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from audit_log`)).rejects.toThrow(/younger than 180 days/);
    await expect(db.query(`truncate audit_log`)).rejects.toThrow(/cannot be truncated/);
    await expect(purgeAudit(db, new Date())).rejects.toThrow(/180 天/);
    expect(await purgeAudit(db, new Date(Date.now() - 200 * 86_400_000))).toBe(0);
    await db.end();
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
