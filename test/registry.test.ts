import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const ENTERPRISES = `query($first: Int!, $after: String, $riskClasses: [RiskClass!], $regionIds: [ID!], $industryIds: [ID!], $search: String) {
  enterprises(first: $first, after: $after, riskClasses: $riskClasses, regionIds: $regionIds, industryIds: $industryIds, search: $search) {
    totalCount pageInfo { endCursor hasNextPage } nodes { id uscc name riskClass region { id } industries { id } }
  }
}`;

async function sqlCount(query: string, params: unknown[] = []): Promise<number> {
  const db = await superuser(hub.databaseUrl);
  const { rows } = await db.query(query, params);
  await db.end();
  return Number(rows[0].count);
}

describe('enterprise registry', () => {
  it('holds the 20,000 seeded firms, mostly low or general risk', async () => {
    const staff = await hub.as('market.staff');
    const total = (await staff.ok(ENTERPRISES, { first: 1 })).enterprises.totalCount;
    expect(total).toBe(20_000);
    const ab = (await staff.ok(ENTERPRISES, { first: 1, riskClasses: ['A_LOW', 'B_GENERAL'] })).enterprises.totalCount;
    expect(ab / total).toBeGreaterThan(0.8);
  });

  it('pages through a filter without gaps or repeats', async () => {
    const staff = await hub.as('commerce.staff');
    const { regions } = await staff.ok('{ regions { id name } }');
    const zezhou = regions.find((r: { name: string }) => r.name === '泽州县').id;
    const vars = { first: 200, riskClasses: ['C_ELEVATED', 'D_HIGH'], regionIds: [zezhou] };
    const ids: string[] = [];
    let after: string | null = null;
    let totalCount: number;
    do {
      const { enterprises }: { enterprises: any } = await staff.ok(ENTERPRISES, { ...vars, after });
      totalCount = enterprises.totalCount;
      for (const e of enterprises.nodes) {
        expect(['C_ELEVATED', 'D_HIGH']).toContain(e.riskClass);
        expect(e.region.id).toBe(zezhou);
        ids.push(e.id);
      }
      after = enterprises.pageInfo.hasNextPage ? enterprises.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(totalCount);
    expect(totalCount).toBe(
      await sqlCount("select count(*) from enterprise where region_id = $1 and risk_class in ('C_ELEVATED','D_HIGH')", [Number(zezhou)]),
    );
  });

  it('filters by industry and searches by name or USCC prefix', async () => {
    const staff = await hub.as('commerce.staff');
    const { industries } = await staff.ok('{ industries { id name } }');
    const usedCars = industries.find((i: { name: string }) => i.name === '二手车经营').id;
    const { enterprises } = await staff.ok(ENTERPRISES, { first: 500, industryIds: [usedCars] });
    expect(enterprises.totalCount).toBe(
      await sqlCount('select count(*) from enterprise where industry_ids @> array[$1::int]', [Number(usedCars)]),
    );
    expect(enterprises.nodes.every((e: { industries: { id: string }[] }) => e.industries.some((i) => i.id === usedCars))).toBe(true);

    const sample = enterprises.nodes[0];
    const byName = await staff.ok(ENTERPRISES, { first: 5, search: sample.name });
    expect(byName.enterprises.nodes.map((e: { id: string }) => e.id)).toContain(sample.id);
    const byCode = await staff.ok(ENTERPRISES, { first: 5, search: sample.uscc.slice(0, 14).toLowerCase() });
    expect(byCode.enterprises.nodes.map((e: { id: string }) => e.id)).toContain(sample.id);
    const wildcard = await staff.ok(ENTERPRISES, { first: 5, search: '%' });
    expect(wildcard.enterprises.totalCount).toBe(0);
  });

  it('finds a firm by USCC and explains a malformed one', async () => {
    const staff = await hub.as('commerce.staff');
    const { enterprises } = await staff.ok(ENTERPRISES, { first: 1 });
    const { uscc } = enterprises.nodes[0];
    expect((await staff.ok('query($u: String!) { enterprise(uscc: $u) { uscc } }', { u: uscc.toLowerCase() })).enterprise.uscc).toBe(uscc);
    const corrupted = uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
    const bad = await staff.query('query($u: String!) { enterprise(uscc: $u) { uscc } }', { u: corrupted });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    expect(bad.errors![0].message).toContain('校验位错误');
    const missing = await staff.query('{ enterprise(uscc: "91110108551385082Q") { uscc } }');
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });

  it('rejects a bad page size and a forged cursor', async () => {
    const staff = await hub.as('commerce.staff');
    expect((await staff.query(ENTERPRISES, { first: 501 })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect((await staff.query(ENTERPRISES, { first: 0 })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await staff.query(ENTERPRISES, { first: 5, after: 'bm9wZQ' })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });
});

describe('officer registry', () => {
  it('filters by department, specialty and status', async () => {
    const staff = await hub.as('commerce.staff');
    const { departments } = await staff.ok('{ departments(level: CITY) { id code } }');
    const commerce = departments.find((d: { code: string }) => d.code === 'commerce').id;
    const { officers } = await staff.ok(
      'query($d: [ID!]) { officers(first: 500, departmentIds: $d, specialty: "二手车", statuses: [ACTIVE]) { totalCount nodes { specialties status department { id } } } }',
      { d: [commerce] },
    );
    expect(officers.totalCount).toBeGreaterThan(0);
    for (const o of officers.nodes) {
      expect(o.department.id).toBe(commerce);
      expect(o.specialties).toContain('二手车');
      expect(o.status).toBe('ACTIVE');
    }
    expect(officers.totalCount).toBe(
      await sqlCount("select count(*) from officer where department_id = $1 and '二手车' = any(specialties) and status = 'ACTIVE'", [
        Number(commerce),
      ]),
    );
  });

  it('holds about 200 officers across all departments', async () => {
    const { officers } = await (await hub.as('admin')).ok('{ officers(first: 1) { totalCount } }');
    expect(officers.totalCount).toBeGreaterThanOrEqual(180);
    expect(officers.totalCount).toBeLessThanOrEqual(240);
  });
});
