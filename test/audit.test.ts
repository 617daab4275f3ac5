import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { purgeAudit } from '../server/src/modules/audit/audit.service.js';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
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
