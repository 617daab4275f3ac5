import { spawn } from 'node:child_process';
import type pg from 'pg';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { verifyPublicRecord, verifyRecord } from '../server/src/modules/draws/draw-record.js';
import { deriveSeed } from '../server/src/modules/draws/record-hash.js';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';
import { codes, superuser, Subscription, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const DRAW = `id status commitment populationCommitment seed secret visits visitsIndependent
  entropies { byName value }
  inspections { round enterprise { uscc name riskClass region { name } } leadDepartment { id }
    items { code department { id code } requiredSpecialty }
    officers { certificateNo status certificateValidUntil specialties department { id code } } }`;
const OPEN = `mutation($tasks: [ID!]!) { openDraw(taskIds: $tasks) { id status commitment secret } }`;
const ENTROPY = `mutation($id: ID!, $v: String!) { addDrawEntropy(drawId: $id, value: $v) { id entropies { byName value } } }`;
const REVEAL = `mutation($id: ID!, $key: String) { revealDraw(drawId: $id, idempotencyKey: $key) { ${DRAW} } }`;

/**
 * A county bureau's own approved plan with one task (car dealers in its county, 20 %, 县抽县查), so
 * a test's draw depends on no other draw of the file.
 */
async function countyTask(
  db: pg.Client,
  username: string,
  regionCode: string,
): Promise<{ task: { id: number }; user_id: number; department_id: number }> {
  const {
    rows: [ids],
  } = await db.query(
    `select u.id as user_id, u.department_id, d.name from app_user u join department d on d.id = u.department_id where u.username = $1`,
    [username],
  );
  const {
    rows: [plan],
  } = await db.query(`insert into plan (department_id, year, name, status) values ($1, 2026, $2, 'APPROVED') returning id`, [
    ids.department_id,
    `${ids.name}2026年度双随机抽查工作计划`,
  ]);
  const {
    rows: [task],
  } = await db.query(
    `insert into task (plan_id, seq, name, ratio_kind, ratio_percent, ratio_text, lead_department_id, modes, frequency_per_year)
     values ($1, 1, '对汽车销售企业的抽查', 'PERCENT', 20, '20%', $2, '{COUNTY_DRAWS_COUNTY_CHECKS}', 1) returning id`,
    [plan.id, ids.department_id],
  );
  await db.query(`insert into task_scope_industry (task_id, industry_id) select $1, id from industry where code = 'C-CAR-SALES'`, [
    task.id,
  ]);
  await db.query(`insert into task_scope_region (task_id, region_id) select $1, id from region where code = $2`, [task.id, regionCode]);
  return { task, user_id: ids.user_id, department_id: ids.department_id };
}

describe('a draw from opening to reveal', () => {
  it('is opened by the lead, witnessed live by a partner and a witness, and verifiable afterwards', async () => {
    const staff = await hub.as('commerce.staff');
    const witness = await hub.as('commerce.witness');
    const market = await hub.as('market.staff');

    expect(codes(await market.query(OPEN, { tasks: [1, 3] }))).toEqual(['FORBIDDEN']);
    expect(codes(await (await hub.as('commerce.officer')).query(OPEN, { tasks: [1, 3] }))).toEqual(['FORBIDDEN']);
    const { openDraw } = await staff.ok(OPEN, { tasks: [1, 3, 4] });
    expect(openDraw).toMatchObject({ status: 'COMMITTED', secret: null });
    expect(openDraw.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(codes(await staff.query(OPEN, { tasks: [4] }))).toEqual(['CONFLICT']);

    const watch = `subscription($id: ID!) { drawUpdated(drawId: $id) { type by draw { id status visits inspections { enterprise { uscc } officers { certificateNo } } } } }`;
    const marketWatch = new Subscription(hub.wsClient(market.token), watch, { id: openDraw.id });
    const witnessWatch = new Subscription(hub.wsClient(witness.token), watch, { id: openDraw.id });
    for (const sub of [marketWatch, witnessWatch])
      expect((await sub.next()).data!.drawUpdated).toMatchObject({ type: 'DRAW_OPENED', draw: { status: 'COMMITTED' } });

    expect(codes(await staff.query(ENTROPY, { id: openDraw.id, v: 'x' }))).toEqual(['FORBIDDEN']);
    expect(codes(await (await hub.as('tax.witness')).query(ENTROPY, { id: openDraw.id, v: 'x' }))).toEqual(['FORBIDDEN']);
    await witness.ok(ENTROPY, { id: openDraw.id, v: '纪检监察组 20260401' });
    expect(codes(await witness.query(ENTROPY, { id: openDraw.id, v: 'again' }))).toEqual(['CONFLICT']);
    for (const sub of [marketWatch, witnessWatch]) {
      expect((await sub.next()).data!.drawUpdated).toMatchObject({ type: 'DRAW_ENTROPY_ADDED', by: '市商务局纪检监察见证人' });
    }

    expect(codes(await witness.query(REVEAL, { id: openDraw.id }))).toEqual(['FORBIDDEN']);
    const { revealDraw } = await (await hub.as('commerce.head')).ok(REVEAL, { id: openDraw.id, key: 'reveal-key-0001' });
    expect(revealDraw.status).toBe('REVEALED');
    expect(revealDraw.inspections.length).toBe(revealDraw.visits);
    expect(revealDraw.visits).toBeLessThanOrEqual(Math.ceil(revealDraw.visitsIndependent));
    for (const sub of [marketWatch, witnessWatch]) {
      const update = (await sub.next()).data!.drawUpdated;
      expect(update).toMatchObject({ type: 'DRAW_REVEALED', draw: { status: 'REVEALED', visits: revealDraw.visits } });
      expect(update.draw.inspections[0].officers.length).toBeGreaterThanOrEqual(2);
      sub.close();
    }

    // The record re-runs to the same result offline.
    const { drawRecord } = await market.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    expect(verifyRecord(drawRecord)).toEqual({ ok: true });
    expect(drawRecord.seed).toBe(revealDraw.seed);
    // The officer draw re-runs too: a swapped team member is found.
    const [visit, team] = Object.entries(drawRecord.teams.result)[0] as [string, string[]];
    const tampered = structuredClone(drawRecord);
    tampered.teams.result[visit] = [...team].reverse();
    expect(verifyRecord(tampered)).toEqual({ ok: false, difference: expect.stringContaining(`检查组 ${visit}`) });
    expect(drawRecord.entropies.map((e: { value: string }) => e.value)).toEqual(['纪检监察组 20260401']);
    const fromRecord = drawRecord.tasks.flatMap((t: { strata: { rounds: string[][] }[] }) => t.strata.flatMap((s) => s.rounds.flat()));
    expect(new Set(fromRecord)).toEqual(new Set(revealDraw.inspections.map((i: { enterprise: { uscc: string } }) => i.enterprise.uscc)));

    // Same key: the same draw; any other reveal: refused.
    const again = await staff.ok(REVEAL, { id: openDraw.id, key: 'reveal-key-0001' });
    expect(again.revealDraw.seed).toBe(revealDraw.seed);
    expect(codes(await staff.query(REVEAL, { id: openDraw.id, key: 'another-key-002' }))).toEqual(['CONFLICT']);
  });

  it('draws teams by the rules: two or more, lead and partners with items, specialists, active and certified', async () => {
    const staff = await hub.as('commerce.staff');
    const { draws } = await staff.ok(`{ draws { ${DRAW} } }`);
    const inspections = draws.flatMap((d: { inspections: unknown[] }) => d.inspections);
    expect(inspections.length).toBeGreaterThan(10);
    const today = new Date().toISOString().slice(0, 10);
    for (const inspection of inspections) {
      const team = inspection.officers;
      expect(team.length).toBeGreaterThanOrEqual(2);
      const depts = new Set(team.map((o: { department: { id: string } }) => o.department.id));
      expect(depts.has(inspection.leadDepartment.id)).toBe(true);
      for (const item of inspection.items) {
        expect(depts.has(item.department.id)).toBe(true);
        if (item.requiredSpecialty) {
          expect(
            team.some(
              (o: { specialties: string[]; department: { id: string } }) =>
                o.department.id === item.department.id && o.specialties.includes(item.requiredSpecialty),
            ),
          ).toBe(true);
        }
      }
      for (const o of team) {
        expect(o.status).toBe('ACTIVE');
        if (o.certificateValidUntil) expect(o.certificateValidUntil >= today).toBe(true);
      }
    }
    // Load is spread: nobody goes far more often than the pool allows.
    const load = new Map<string, number>();
    for (const i of inspections) for (const o of i.officers) load.set(o.certificateNo, (load.get(o.certificateNo) ?? 0) + 1);
    expect(Math.max(...load.values())).toBeLessThanOrEqual(Math.ceil((inspections.length * 3) / 20) + 1);
  });

  it('fails with the visit and the rule named when no team can be formed, and writes nothing', async () => {
    const db = await superuser(hub.databaseUrl);
    // Public security is a partner in task 2 with an item needing the 报废机动车 specialty: take all such officers away.
    await db.query(
      `update officer set status = 'INACTIVE' where department_id = (select id from department where code = 'police') and '报废机动车' = any(specialties)`,
    );
    const staff = await hub.as('commerce.staff');
    const { openDraw } = await staff.ok(OPEN, { tasks: [2] });
    await hub.witness(openDraw.id);
    const result = await staff.query(REVEAL, { id: openDraw.id });
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'SPECIALTY' });
    expect(result.errors![0].message).toMatch(/^“.+（91\d{4}\w+）”：晋城市公安局没有具备“报废机动车”业务专长且可以派出的执法人员$/);
    const { rows } = await db.query(
      'select status, (select count(*) from inspection where draw_id = d.id) as inspections from draw d where id = $1',
      [openDraw.id],
    );
    expect(rows).toEqual([{ status: 'COMMITTED', inspections: '0' }]);
    // The draw committed its officer pool at the opening: officers back on duty since change nothing…
    await db.query(`update officer set status = 'ACTIVE' where department_id = (select id from department where code = 'police')`);
    await db.end();
    expect((await staff.query(REVEAL, { id: openDraw.id })).errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'SPECIALTY' });
    // …a withdrawal publishes why there would have been no team, and a new draw commits the pool as it is now.
    const { cancelDraw } = await staff.ok(
      'mutation($id: ID!) { cancelDraw(drawId: $id, reason: "公安专业人员复岗后重新抽取") { secret } }',
      {
        id: openDraw.id,
      },
    );
    expect(cancelDraw.secret).toMatch(/^[0-9a-f]{64}$/);
    const { drawRecord } = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    expect(drawRecord).toMatchObject({ outcome: 'WITHDRAWN', teams: { error: expect.stringContaining('报废机动车') } });
    expect(verifyRecord(drawRecord)).toEqual({ ok: true });
    const { openDraw: again } = await staff.ok(OPEN, { tasks: [2] });
    await hub.witness(again.id);
    expect((await staff.ok(REVEAL, { id: again.id })).revealDraw.status).toBe('REVEALED');
  });

  it('lets an officer or their own department declare a conflict (回避); others may not', async () => {
    const db = await superuser(hub.databaseUrl);
    const {
      rows: [officer],
    } = await db.query(`select o.id from app_user u join officer o on o.id = u.officer_id where u.username = 'commerce.officer'`);
    const {
      rows: [firm],
    } = await db.query(`select uscc from enterprise order by id limit 1`);
    await db.end();
    const DECLARE =
      'mutation($o: ID!, $u: String!, $r: String!) { declareOfficerConflict(officerId: $o, uscc: $u, reason: $r) { reason officer { id } enterprise { uscc } } }';
    const self = await hub.as('commerce.officer');
    const { declareOfficerConflict } = await self.ok(DECLARE, { o: officer.id, u: firm.uscc, r: '近亲属在该企业任职' });
    expect(declareOfficerConflict).toEqual({
      reason: '近亲属在该企业任职',
      officer: { id: String(officer.id) },
      enterprise: { uscc: firm.uscc },
    });
    expect(codes(await self.query(DECLARE, { o: officer.id, u: firm.uscc, r: '再次' }))).toEqual(['CONFLICT']);
    expect(codes(await (await hub.as('market.staff')).query(DECLARE, { o: officer.id, u: firm.uscc, r: '代为声明' }))).toEqual([
      'FORBIDDEN',
    ]);
    const bad = await (await hub.as('commerce.staff')).query(DECLARE, { o: officer.id, u: '123', r: '理由' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    const { officerConflicts } = await (
      await hub.as('commerce.head')
    ).ok('query($o: ID!) { officerConflicts(officerId: $o) { enterprise { uscc } } }', { o: officer.id });
    expect(officerConflicts).toEqual([{ enterprise: { uscc: firm.uscc } }]);
  });

  it('keeps a revealed draw immutable, even for a superuser', async () => {
    const db = await superuser(hub.databaseUrl);
    await expect(db.query(`update draw set seed = repeat('0', 64) where status = 'REVEALED'`)).rejects.toThrow(/cannot be changed/);
    await expect(db.query(`delete from draw where status = 'REVEALED'`)).rejects.toThrow(/cannot be changed/);
    await db.end();
  });

  it('leaves nothing behind when the revealing process is killed, and reveals identically afterwards', async () => {
    const staff = await hub.as('zezhou-industry.staff');
    const db = await superuser(hub.databaseUrl);
    const { task, ...ids } = await countyTask(db, 'zezhou-industry.staff', '140525');
    const { openDraw } = await staff.ok(OPEN, { tasks: [task.id] });
    await hub.witness(openDraw.id, 'zezhou-industry.witness', '县纪检组 0415');

    // Hold the event table: the reveal writes everything else, then waits on its last insert.
    await db.query('begin');
    await db.query('lock table event in access exclusive mode');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(projectRoot, 'test/support/reveal-child.ts'),
        hub.appUrl,
        openDraw.id,
        String(ids.user_id),
        String(ids.department_id),
      ],
      {
        cwd: projectRoot,
        stdio: 'ignore',
      },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const probe = await superuser(hub.databaseUrl);
    for (;;) {
      const { rows } = await probe.query(
        `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "event"%'`,
      );
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows: during } = await probe.query('select count(*)::int as n from inspection where draw_id = $1', [openDraw.id]);
    expect(during[0].n).toBe(0); // not visible: uncommitted
    child.kill('SIGKILL');
    await exited;
    await db.query('rollback');
    // PostgreSQL ends the dead connection's transaction: no partial draw.
    for (;;) {
      const { rows } = await probe.query(
        `select count(*)::int as n from pg_stat_activity where query like 'insert into "event"%' and state <> 'idle'`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows: after } = await probe.query(
      'select status, seed, (select count(*)::int from inspection where draw_id = d.id) as inspections from draw d where id = $1',
      [openDraw.id],
    );
    expect(after).toEqual([{ status: 'COMMITTED', seed: null, inspections: 0 }]);

    const { revealDraw } = await staff.ok(REVEAL, { id: openDraw.id });
    const { rows: secret } = await probe.query('select secret from draw where id = $1', [openDraw.id]);
    expect(revealDraw.seed).toBe(deriveSeed(secret[0].secret, ['县纪检组 0415'], openDraw.id));
    const { drawRecord } = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    expect(verifyRecord(drawRecord)).toEqual({ ok: true });
    expect(revealDraw.inspections.length).toBeGreaterThan(0);
    await probe.end();
    await db.end();
  });

  it('moves firms inspected last year for the same items to the end of next year’s order', async () => {
    const staff = await hub.as('commerce.staff');
    const db = await superuser(hub.databaseUrl);
    // Next year's copy of task 3 (单用途预付卡, 高平): same scope, same items.
    const {
      rows: [plan],
    } = await db.query(
      `insert into plan (department_id, year, name, status) select department_id, 2027, '晋城市商务局2027年度部门联合双随机抽查工作计划', 'APPROVED' from plan where id = 1 returning id`,
    );
    const {
      rows: [task],
    } = await db.query(
      `insert into task (plan_id, seq, name, ratio_kind, ratio_percent, ratio_text, risk_stratified, lead_department_id, modes, frequency_per_year)
       select $1, seq, name, ratio_kind, ratio_percent, ratio_text, risk_stratified, lead_department_id, modes, 1 from task where id = 3 returning id`,
      [plan.id],
    );
    for (const pivot of [
      'task_scope_industry (task_id, industry_id) select $1, industry_id',
      'task_scope_region (task_id, region_id) select $1, region_id',
      'task_check_item (task_id, check_item_id) select $1, check_item_id',
      'task_partner_department (task_id, department_id) select $1, department_id',
    ]) {
      const table = pivot.split(' ')[0];
      await db.query(`insert into ${pivot} from ${table} where task_id = 3`, [task.id]);
    }
    const { rows: visited } = await db.query(
      `select distinct e.uscc from inspection i join inspection_task it on it.inspection_id = i.id join enterprise e on e.id = i.enterprise_id where it.task_id = 3 and i.year = 2026`,
    );
    await db.end();
    const lastYear = new Set(visited.map((r) => r.uscc));
    expect(lastYear.size).toBeGreaterThan(0);

    const { openDraw } = await staff.ok(OPEN, { tasks: [task.id] });
    await hub.witness(openDraw.id);
    await staff.ok(REVEAL, { id: openDraw.id });
    const { drawRecord } = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    const marked = new Set(drawRecord.tasks[0].population.filter((f: unknown[]) => f[2] === 1).map((f: string[]) => f[0]));
    expect(marked).toEqual(lastYear);
    const chosen = drawRecord.tasks[0].strata.flatMap((s: { rounds: string[][] }) => s.rounds[0]);
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.filter((u: string) => lastYear.has(u))).toEqual([]);
    expect(verifyRecord(drawRecord)).toEqual({ ok: true });
  });
});

describe('withdrawing a draw before its reveal', () => {
  it('is done by the lead with a reason, frees the task for a new draw, and is kept as it was', async () => {
    const db = await superuser(hub.databaseUrl);
    const { task } = await countyTask(db, 'gaoping-industry.staff', '140581');
    const staff = await hub.as('gaoping-industry.staff');
    const { openDraw: first } = await staff.ok(OPEN, { tasks: [task.id] });
    await hub.witness(first.id, 'gaoping-industry.witness');

    // The draw draws from the population fixed at its opening: a firm registered since changes nothing…
    await db.query(
      `insert into enterprise (uscc, name, region_id, risk_class, industry_ids) select $1, '高平市新开汽车销售有限公司', r.id, 'A_LOW', array[i.id]
         from region r, industry i where r.code = '140581' and i.code = 'C-CAR-SALES'`,
      [syntheticUscc(990_001, '140581')],
    );
    // …but a firm it selects must still be drawable: here every one of them has been deregistered since.
    const { rows: before } = await db.query(
      `select id, status from enterprise where region_id = (select id from region where code = '140581')
          and industry_ids && array(select id from industry where code = 'C-CAR-SALES') and uscc <> $1`,
      [syntheticUscc(990_001, '140581')],
    );
    await db.query(`update enterprise set status = 'DEREGISTERED' where id = any($1::int[])`, [before.map((r) => r.id)]);
    const stale = await staff.query(REVEAL, { id: first.id });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].message).toContain('已注销');
    await db.query(`update enterprise e set status = b.status from unnest($1::int[], $2::text[]) as b(id, status) where e.id = b.id`, [
      before.map((r) => r.id),
      before.map((r) => r.status),
    ]);

    const CANCEL = 'mutation($id: ID!, $r: String!) { cancelDraw(drawId: $id, reason: $r) { id status cancelReason cancelledAt } }';
    expect(codes(await (await hub.as('commerce.staff')).query(CANCEL, { id: first.id, r: '名录已变' }))).toEqual(['FORBIDDEN']);
    expect(codes(await (await hub.as('gaoping-industry.officer')).query(CANCEL, { id: first.id, r: '名录已变' }))).toEqual(['FORBIDDEN']);
    expect((await staff.query(CANCEL, { id: first.id, r: ' ' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    const { cancelDraw } = await staff.ok(CANCEL, { id: first.id, r: '开启后名录库新增企业，名录承诺不成立' });
    expect(cancelDraw).toMatchObject({ status: 'CANCELLED', cancelReason: '开启后名录库新增企业，名录承诺不成立' });
    expect(codes(await staff.query(CANCEL, { id: first.id, r: '再次' }))).toEqual(['CONFLICT']);
    expect(codes(await staff.query(REVEAL, { id: first.id }))).toEqual(['CONFLICT']);
    await expect(db.query(`update draw set cancel_reason = 'x' where id = $1`, [first.id])).rejects.toThrow(/cannot be changed/);

    // The task is free again: a new draw over the registry as it is now.
    const { openDraw: second } = await staff.ok(OPEN, { tasks: [task.id] });
    await hub.witness(second.id, 'gaoping-industry.witness');
    const { revealDraw } = await staff.ok(REVEAL, { id: second.id });
    expect(revealDraw.status).toBe('REVEALED');
    expect(codes(await staff.query(CANCEL, { id: second.id, r: '已完成的不能撤销' }))).toEqual(['CONFLICT']);
    await db.end();
  });
});

describe('the witness rule, the public record and amendments', () => {
  it('refuses a reveal short of witnesses, publishes a record without risk classes or officer data, and replays an amendment', async () => {
    const db = await superuser(hub.databaseUrl);
    const { task } = await countyTask(db, 'qinshui-industry.staff', '140521');
    const { rows } = await db.query('select plan_id from task where id = $1', [task.id]);
    await db.end();
    const staff = await hub.as('qinshui-industry.staff');
    const RULE =
      'mutation($id: ID!, $n: Int!) { setPlanWitnessRule(id: $id, witnessesRequired: $n, fromOtherDepartment: false) { witnessesRequired } }';
    expect(codes(await (await hub.as('commerce.staff')).query(RULE, { id: rows[0].plan_id, n: 2 }))).toEqual(['FORBIDDEN']);
    expect((await staff.query(RULE, { id: rows[0].plan_id, n: 0 })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'witnessesRequired',
    });
    await staff.ok(RULE, { id: rows[0].plan_id, n: 2 });
    const { openDraw: first } = await staff.ok(OPEN, { tasks: [task.id] });
    await hub.witness(first.id, 'qinshui-industry.witness');
    const short = await staff.query(REVEAL, { id: first.id });
    expect(short.errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'WITNESSES' });
    expect(short.errors![0].message).toContain('至少 2 名见证人');
    // Withdrawn: the secret and what it would have drawn are published, and the record verifies.
    await staff.ok('mutation($id: ID!) { cancelDraw(drawId: $id, reason: "见证人不足，改期重新抽取") { id } }', { id: first.id });
    const withdrawn = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: first.id });
    expect(withdrawn.drawRecord.outcome).toBe('WITHDRAWN');
    expect(verifyRecord(withdrawn.drawRecord)).toEqual({ ok: true });

    await staff.ok(RULE, { id: rows[0].plan_id, n: 1 });
    const { openDraw } = await staff.ok(OPEN, { tasks: [task.id] });
    // Anyone may read the commitments before the reveal, without logging in.
    const anonymous = hub.anonymous;
    const before = await anonymous.ok('query($id: ID!) { publicDrawRecord(id: $id) }', { id: openDraw.id });
    expect(before.publicDrawRecord).toMatchObject({
      status: 'COMMITTED',
      secret: null,
      openingCommitment: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await hub.witness(openDraw.id, 'qinshui-industry.witness');
    const { revealDraw } = await staff.ok(REVEAL, { id: openDraw.id });
    const { publicDrawRecord } = await anonymous.ok('query($id: ID!) { publicDrawRecord(id: $id) }', { id: openDraw.id });
    expect(verifyPublicRecord(publicDrawRecord)).toEqual({ ok: true });
    const text = JSON.stringify(publicDrawRecord);
    expect(text).not.toMatch(/A_LOW|B_GENERAL|C_ELEVATED|D_HIGH|certificateNo|specialties|conflicts/);
    expect(publicDrawRecord.teams[0].officers[0]).toEqual({ name: expect.any(String), department: expect.any(String) });
    const tampered = {
      ...publicDrawRecord,
      tasks: [{ ...publicDrawRecord.tasks[0], selected: publicDrawRecord.tasks[0].selected.slice(1) }],
    };
    expect(verifyPublicRecord(tampered)).toEqual({ ok: false, difference: expect.stringContaining('抽中企业') });
    const { publicDraws } = await anonymous.ok('{ publicDraws { id status openingCommitment } }');
    expect(publicDraws).toContainEqual({ id: openDraw.id, status: 'REVEALED', openingCommitment: publicDrawRecord.openingCommitment });
    const PUBLIC_DRAW = 'query($id: ID!) { publicDraw(id: $id) { id status department tasks } }';
    expect((await anonymous.ok(PUBLIC_DRAW, { id: openDraw.id })).publicDraw).toMatchObject({
      status: 'REVEALED',
      department: expect.stringContaining('沁水'),
      tasks: [expect.any(String)],
    });
    expect(codes(await anonymous.query(PUBLIC_DRAW, { id: '00000000-0000-0000-0000-000000000000' }))).toEqual(['NOT_FOUND']);
    expect(codes(await anonymous.query(PUBLIC_DRAW, { id: 'x' }))).toEqual(['NOT_FOUND']);

    // An officer falls ill: the replacement is the rule's, recorded, and the record still verifies.
    expect(revealDraw.status).toBe('REVEALED');
    const { draw } = await staff.ok('query($id: ID!) { draw(id: $id) { inspections { id } amendments { id } } }', { id: openDraw.id });
    const visit = draw.inspections[0] as { id: string };
    const TEAM = 'query($id: ID!) { inspection(id: $id) { viewerCanAmendTeam officers { id name certificateNo } } }';
    const { inspection } = await staff.ok(TEAM, { id: visit.id });
    expect(inspection.viewerCanAmendTeam).toBe(true);
    const out = inspection.officers[0];
    const officer = await hub.as('qinshui-industry.officer');
    expect((await officer.ok(TEAM, { id: visit.id })).inspection.viewerCanAmendTeam).toBe(false);
    const AMEND =
      'mutation($i: ID!, $o: ID!, $r: String!) { amendTeam(inspectionId: $i, officerId: $o, reason: $r) { officers { certificateNo } } }';
    expect(codes(await (await hub.as('qinshui-industry.officer')).query(AMEND, { i: visit.id, o: out.id, r: '因病' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await staff.query(AMEND, { i: visit.id, o: out.id, r: ' ' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    // Everyone watching the visit sees the new team at once.
    const watch = new Subscription(
      hub.wsClient(officer.token),
      'subscription($id: ID!) { inspectionUpdated(inspectionId: $id) { id officers { certificateNo } } }',
      { id: visit.id },
    );
    const { amendTeam } = await staff.ok(AMEND, { i: visit.id, o: out.id, r: '因病住院' });
    expect(amendTeam.officers.map((o: { certificateNo: string }) => o.certificateNo)).not.toContain(out.certificateNo);
    const [pushed] = await watch.take(1);
    watch.close();
    expect(pushed.data!.inspectionUpdated.officers).toEqual(amendTeam.officers);
    // The public record shows the team after the amendment.
    const afterAmendment = (await anonymous.ok('query($id: ID!) { publicDrawRecord(id: $id) }', { id: openDraw.id })).publicDrawRecord;
    const { inspection: amended } = await staff.ok(
      'query($id: ID!) { inspection(id: $id) { round enterprise { uscc } officers { name department { name } } } }',
      { id: visit.id },
    );
    const publicTeam = afterAmendment.teams.find((t: { visit: string }) => t.visit === `${amended.round - 1}:${amended.enterprise.uscc}`);
    // The record keeps the drawn order with the replacement in the leaver's place; the visit lists by id.
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...publicTeam.officers].sort(byName)).toEqual(
      amended.officers
        .map((o: { name: string; department: { name: string } }) => ({ name: o.name, department: o.department.name }))
        .sort(byName),
    );
    const { drawRecord } = await staff.ok('query($id: ID!) { drawRecord(id: $id) }', { id: openDraw.id });
    expect(drawRecord.amendments).toEqual([expect.objectContaining({ out: out.certificateNo, reason: '因病住院' })]);
    expect(verifyRecord(drawRecord)).toEqual({ ok: true });
    const forged = structuredClone(drawRecord);
    forged.amendments[0].in = drawRecord.pool.find(
      (o: { departmentId: number; certificateNo: string }) =>
        o.certificateNo !== drawRecord.amendments[0].in &&
        !amendTeam.officers.some((t: { certificateNo: string }) => t.certificateNo === o.certificateNo) &&
        o.certificateNo !== out.certificateNo,
    ).certificateNo;
    expect(verifyRecord(forged).ok).toBe(false);
  });
});
