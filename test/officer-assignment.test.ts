import { describe, expect, it } from 'vitest';
import { teamRules } from '../server/src/modules/draws/draw-record.js';
import { assignTeams as assign, type PoolOfficer, type TeamRequest } from '../server/src/modules/draws/officer-assignment.js';

const SEED = 'a'.repeat(64);
const names = new Map([
  [1, '市商务局'],
  [2, '市市场监管局'],
]);

function officer(id: number, departmentId: number, specialties: string[] = [], extra: Partial<PoolOfficer> = {}): PoolOfficer {
  return {
    id,
    name: `人员${id}`,
    certificateNo: `C${id}`,
    departmentId,
    specialties,
    conflicts: [],
    inspectedLastYear: [],
    ...extra,
  };
}

function visit(n: number, departments: TeamRequest['departments'], itemIds = [100]): TeamRequest {
  return { key: `0:${n}`, firm: `USCC${n}`, itemIds, departments };
}

/** The draw's rules with this seed (the circle order of draw-record@2); messages name firm n as 企业n（USCCn）. */
function assignTeams(seed: string, requests: TeamRequest[], pools: Map<number, PoolOfficer[]>, departmentNames: Map<number, string>) {
  const rules = teamRules(seed, pools, (firm) => `企业${firm.slice(4)}（${firm}）`);
  return assign(requests, pools, departmentNames, rules).teams;
}

const LEAD = { departmentId: 1, name: '市商务局', specialties: [] as string[] };
const PARTNER = { departmentId: 2, name: '市市场监管局', specialties: [] as string[] };
const ruleOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    const e = error as { message: string; details: { rule: string } };
    return { rule: e.details.rule, message: e.message };
  }
};

describe('officer teams', () => {
  it('sends the lead’s and each partner’s officer, at least two, specialists where needed', () => {
    const pools = new Map([
      [1, [officer(1, 1), officer(2, 1, ['二手车']), officer(3, 1)]],
      [2, [officer(4, 2), officer(5, 2)]],
    ]);
    const teams = assignTeams(SEED, [visit(1, [{ ...LEAD, specialties: ['二手车'] }, PARTNER]), visit(2, [LEAD])], pools, names);
    const first = teams.get('0:1')!;
    expect(first.map((o) => o.departmentId).sort()).toEqual([1, 2]);
    expect(first.some((o) => o.specialties.includes('二手车'))).toBe(true);
    const second = teams.get('0:2')!;
    expect(second).toHaveLength(2);
    expect(second.every((o) => o.departmentId === 1)).toBe(true);
    expect(new Set(second).size).toBe(2);
  });

  it('is the same for the same seed and differs for another', () => {
    const pools = new Map([[1, Array.from({ length: 10 }, (_, i) => officer(i + 1, 1))]]);
    const requests = Array.from({ length: 5 }, (_, i) => visit(i, [LEAD]));
    const ids = (seed: string) => [...assignTeams(seed, requests, pools, names).values()].map((t) => t.map((o) => o.id));
    expect(ids(SEED)).toEqual(ids(SEED));
    expect(ids(SEED)).not.toEqual(ids('b'.repeat(64)));
  });

  it('spreads the load: nobody above ⌈demand ÷ pool⌉ + 1 while others are free', () => {
    const pools = new Map([[1, Array.from({ length: 6 }, (_, i) => officer(i + 1, 1))]]);
    const teams = assignTeams(
      SEED,
      Array.from({ length: 30 }, (_, i) => visit(i, [LEAD])),
      pools,
      names,
    );
    const load = new Map<number, number>();
    for (const team of teams.values()) for (const o of team) load.set(o.id, (load.get(o.id) ?? 0) + 1);
    expect(Math.max(...load.values())).toBeLessThanOrEqual(Math.ceil(60 / 6) + 1);
  });

  it('names the visit and the rule when a department has nobody active and certified', () => {
    expect(ruleOf(() => assignTeams(SEED, [visit(7, [LEAD, PARTNER])], new Map([[1, [officer(1, 1), officer(2, 1)]]]), names))).toEqual({
      rule: 'CERTIFIED_ACTIVE',
      message: '“企业7（USCC7）”：市市场监管局没有在岗且执法证有效的执法人员',
    });
  });

  it('recuses declared conflicts and last year’s inspectors of the same firm and item', () => {
    const pools = new Map([[1, [officer(1, 1, [], { conflicts: ['USCC7'] }), officer(2, 1, [], { inspectedLastYear: ['USCC7:100'] })]]]);
    expect(ruleOf(() => assignTeams(SEED, [visit(7, [LEAD])], pools, names))?.rule).toBe('RECUSAL');
    // A different item last year is no reason to step aside.
    const other = new Map([[1, [officer(1, 1, [], { inspectedLastYear: ['USCC7:999'] }), officer(2, 1)]]]);
    expect(assignTeams(SEED, [visit(7, [LEAD])], other, names).get('0:7')).toHaveLength(2);
  });

  it('refuses a visit that needs a specialty nobody available has', () => {
    const pools = new Map([[1, [officer(1, 1, ['拍卖']), officer(2, 1)]]]);
    expect(ruleOf(() => assignTeams(SEED, [visit(3, [{ ...LEAD, specialties: ['报废机动车'] }])], pools, names))).toEqual({
      rule: 'SPECIALTY',
      message: '“企业3（USCC3）”：市商务局没有具备“报废机动车”业务专长且可以派出的执法人员',
    });
  });

  it('records each officer sent over the cap, and why', () => {
    // Three visits needing the one 二手车 specialist of a pool of three: the cap is ⌈3 ÷ 3⌉ + 1 = 2.
    const pools = new Map([[1, [officer(1, 1, ['二手车']), officer(2, 1), officer(3, 1)]]]);
    const requests = Array.from({ length: 3 }, (_, i) => visit(i, [{ ...LEAD, specialties: ['二手车'] }]));
    const { breaches, caps } = assign(requests, pools, names, teamRules(SEED, pools));
    expect(caps.get(1)).toBe(Math.ceil(6 / 3) + 1);
    const six = new Map([[1, [officer(1, 1, ['二手车']), ...[2, 3, 4, 5, 6].map((id) => officer(id, 1))]]]);
    const again = assign(
      Array.from({ length: 4 }, (_, i) => visit(i, [{ ...LEAD, specialties: ['二手车'] }])),
      six,
      names,
      teamRules(SEED, six),
    );
    expect(breaches).toEqual([]);
    // Six officers, four visits of two: cap ⌈8 ÷ 6⌉ + 1 = 3; the specialist goes a fourth time, recorded as SPECIALTY.
    expect(again.breaches).toEqual([{ visit: '0:3', certificateNo: 'C1', departmentId: 1, load: 4, cap: 3, reason: 'SPECIALTY' }]);
  });

  it('refuses a team of one', () => {
    expect(ruleOf(() => assignTeams(SEED, [visit(4, [LEAD])], new Map([[1, [officer(1, 1)]]]), names))?.rule).toBe('TEAM_SIZE');
  });
});
