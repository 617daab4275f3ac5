import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../server/src/modules/draws/draw-record.js';
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
    for (const sub of [marketWatch, witnessWatch]) expect((await sub.next()).data!.drawUpdated).toMatchObject({ type: 'DRAW_OPENED', draw: { status: 'COMMITTED' } });

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
          expect(team.some((o: { specialties: string[]; department: { id: string } }) => o.department.id === item.department.id && o.specialties.includes(item.requiredSpecialty))).toBe(true);
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
    await db.query(`update officer set status = 'INACTIVE' where department_id = (select id from department where code = 'police') and '报废机动车' = any(specialties)`);
    const staff = await hub.as('commerce.staff');
    const { openDraw } = await staff.ok(OPEN, { tasks: [2] });
    const result = await staff.query(REVEAL, { id: openDraw.id });
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'SPECIALTY' });
    expect(result.errors![0].message).toMatch(/^“.+（91\d{4}\w+）”：晋城市公安局没有具备“报废机动车”业务专长且可以派出的执法人员$/);
    const { rows } = await db.query('select status, (select count(*) from inspection where draw_id = d.id) as inspections from draw d where id = $1', [openDraw.id]);
    expect(rows).toEqual([{ status: 'COMMITTED', inspections: '0' }]);
    // Once officers are back, the same draw reveals.
    await db.query(`update officer set status = 'ACTIVE' where department_id = (select id from department where code = 'police')`);
    await db.end();
    expect((await staff.ok(REVEAL, { id: openDraw.id })).revealDraw.status).toBe('REVEALED');
  });

  it('keeps a revealed draw immutable, even for a superuser', async () => {
    const db = await superuser(hub.databaseUrl);
    await expect(db.query(`update draw set seed = repeat('0', 64) where status = 'REVEALED'`)).rejects.toThrow(/cannot be changed/);
    await expect(db.query(`delete from draw where status = 'REVEALED'`)).rejects.toThrow(/cannot be changed/);
    await db.end();
  });
});
