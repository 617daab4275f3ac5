import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { buildRecord, type DrawRecord, replayAmendments, verifyRecord } from '../server/src/modules/draws/draw-record.js';
import { commitmentOf, deriveSeed, FirmRandom } from '../server/src/modules/draws/record-hash.js';
import {
  countVisits,
  drawTasks as drawCompact,
  encodePopulation,
  expectedIndependentVisits as expectedCompact,
  type PopulationRow,
  sampleSizes,
  stratumSummaries,
  type TaskParams,
} from '../server/src/modules/draws/selection.js';
import { type CommittedOfficer, eligiblePools, type VisitRules } from '../server/src/modules/draws/visit-rules.js';
import { RiskClass } from '../server/src/modules/registry/registry.enums.js';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';

type Firm = { uscc: string; riskClass: RiskClass; drawnLastYear?: boolean };
type Spec = TaskParams & { population: Firm[] };

const seedOf = (label: string | number) => crypto.createHash('sha256').update(`seed:${label}`).digest('hex');
const firms = (from: number, to: number, riskClass: RiskClass = RiskClass.A_LOW): Firm[] =>
  Array.from({ length: to - from }, (_, i) => ({ uscc: syntheticUscc(from + i, '140525'), riskClass }));
const task = (taskId: number, population: Firm[], percent = 20, extra: Partial<Spec> = {}): Spec => ({
  taskId,
  ratio: { kind: 'PERCENT', percent },
  riskStratified: false,
  rounds: 1,
  population,
  ...extra,
});
const rowsOf = (population: Firm[]): PopulationRow[] => population.map((f) => [f.uscc, f.riskClass, f.drawnLastYear ? 1 : 0, 1]);
const compact = (specs: Spec[]) =>
  specs.map((s) => {
    const population = encodePopulation(rowsOf(s.population));
    return { ...s, population, strata: stratumSummaries(population) };
  });
const drawTasks = (seed: string, specs: Spec[]) => drawCompact(seed, compact(specs));
const expectedIndependentVisits = (specs: Spec[]) => expectedCompact(compact(specs));
const selected = (result: ReturnType<typeof drawTasks>[number], round = 0) => result.strata.flatMap((s) => s.rounds[round] ?? []);

/** The definition (docs/draw-record.md §3): the first 52 bits of SHA-256(lp(tag) ‖ lp(seed) ‖ lp(USCC)), as a fraction. */
function byDefinition(seedHex: string, uscc: string): number {
  const lp = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const digest = crypto
    .createHash('sha256')
    .update(Buffer.concat([lp(Buffer.from('inspection-hub/draw/firm')), lp(Buffer.from(seedHex, 'hex')), lp(Buffer.from(uscc))]))
    .digest();
  return (digest.readUInt32BE(0) * 2 ** 20 + (digest.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

describe('permanent random numbers', () => {
  it('are deterministic, in [0,1), and change with the seed', () => {
    const u = new FirmRandom(seedOf(1)).ofText('91110108551385082Q');
    expect(u).toBe(new FirmRandom(seedOf(1)).ofText('91110108551385082Q'));
    expect(u).toBeGreaterThanOrEqual(0);
    expect(u).toBeLessThan(1);
    expect(new FirmRandom(seedOf(2)).ofText('91110108551385082Q')).not.toBe(u);
  });

  it('are the definition’s numbers, whatever the length of the text', () => {
    const u = new FirmRandom(seedOf(1));
    for (const uscc of ['91110108551385082Q', 'X', '统一社会信用代码不止十八位的情形也一样'.repeat(3), ...firms(0, 200).map((f) => f.uscc)])
      expect(u.ofText(uscc)).toBe(byDefinition(seedOf(1), uscc));
  });

  it('give every firm the same chance: inclusion frequencies ≈ n/N (χ², fixed seeds)', () => {
    const population = firms(0, 50);
    const counts = new Map(population.map((f) => [f.uscc, 0]));
    const draws = 3000;
    for (let i = 0; i < draws; i++) {
      for (const uscc of selected(drawTasks(seedOf(i), [task(1, population)])[0])) counts.set(uscc, counts.get(uscc)! + 1);
    }
    const expected = (draws * 10) / 50; // n = ceil(20% × 50) = 10
    const chi2 = [...counts.values()].reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    // 49 degrees of freedom: the 0.1% critical value is 85.35.
    expect(chi2).toBeLessThan(85.35);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(draws * 10);
  });
});

describe('sample sizes', () => {
  const sizes = { A_LOW: 30, B_GENERAL: 7, C_ELEVATED: 3, D_HIGH: 1 };

  it('round up per risk class: ceil(ratio × N)', () => {
    expect(sampleSizes(task(1, [], 10), sizes)).toEqual({
      A_LOW: { n: 3, percent: 10 },
      B_GENERAL: { n: 1, percent: 10 },
      C_ELEVATED: { n: 1, percent: 10 },
      D_HIGH: { n: 1, percent: 10 },
    });
  });

  it('raise the ratio for riskier classes when the plan says so', () => {
    const n = sampleSizes(task(1, [], 10, { riskStratified: true }), sizes);
    expect(Object.values(n).map((x) => [x.percent, x.n])).toEqual([
      [10, 3],
      [15, 2],
      [20, 1],
      [30, 1],
    ]);
    expect(sampleSizes(task(1, [], 50, { riskStratified: true }), sizes).D_HIGH).toEqual({ n: 1, percent: 100 });
  });

  it('take per-class tables as published', () => {
    const n = sampleSizes(
      { ...task(1, []), ratio: { kind: 'PER_RISK_CLASS', percents: { A_LOW: 5, B_GENERAL: 10, C_ELEVATED: 50, D_HIGH: 100 } } },
      sizes,
    );
    expect(Object.values(n).map((x) => x.n)).toEqual([2, 1, 2, 1]);
  });

  it('split a fixed count over the classes by largest remainder, never above the population', () => {
    const spec = { ...task(1, []), ratio: { kind: 'COUNT' as const, count: 20 } };
    expect(Object.values(sampleSizes(spec, { A_LOW: 60, B_GENERAL: 30, C_ELEVATED: 8, D_HIGH: 2 })).map((x) => x.n)).toEqual([12, 6, 2, 0]);
    expect(Object.values(sampleSizes(spec, { A_LOW: 5, B_GENERAL: 3, C_ELEVATED: 0, D_HIGH: 1 })).map((x) => x.n)).toEqual([5, 3, 0, 1]);
  });
});

describe('coordination across tasks', () => {
  it('draws the same firms for tasks with the same scope: one visit, many items', () => {
    const population = firms(0, 200);
    const results = drawTasks(seedOf('same'), [task(1, population), task(2, population), task(3, population)]);
    expect(selected(results[1])).toEqual(selected(results[0]));
    expect(countVisits(results)).toBe(40);
    expect(expectedIndependentVisits([task(1, population), task(2, population), task(3, population)])).toBeCloseTo(200 * (1 - 0.8 ** 3), 6);
  });

  it('visits ≈ Σ max π over firms for overlapping scopes (mean over fixed seeds)', () => {
    const a = firms(0, 300);
    const b = firms(150, 450);
    let visits = 0;
    const seeds = 400;
    for (let i = 0; i < seeds; i++) visits += countVisits(drawTasks(seedOf(`overlap-${i}`), [task(1, a), task(2, b)]));
    // Σ max π = 450 firms × 20% = 90 (exact for nested samples; fixed-size samples of two
    // overlapping scopes land slightly above). Independent draws would need 30 + 30 + 150·(1−0.8²) = 114.
    expect(visits / seeds).toBeGreaterThan(88);
    expect(visits / seeds).toBeLessThan(94);
  });

  it('leaves a task with a disjoint scope exactly as if drawn alone', () => {
    const a = firms(0, 100);
    const b = firms(1000, 1100);
    const together = drawTasks(seedOf('disjoint'), [task(1, a), task(2, b)]);
    const alone = drawTasks(seedOf('disjoint'), [task(2, b)]);
    expect(selected(together[1])).toEqual(selected(alone[0]));
    expect(countVisits(together)).toBe(40);
  });

  it('draws later rounds from the next firms in order', () => {
    const result = drawTasks(seedOf('rounds'), [task(1, firms(0, 100), 10, { rounds: 2 })])[0];
    const [first, second] = [selected(result, 0), selected(result, 1)];
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(10);
    expect(first.filter((u) => second.includes(u))).toEqual([]);
  });

  it('moves last year’s sample to the end: the burden passes to firms not visited last year', () => {
    const population = firms(0, 500);
    const lastYear = selected(drawTasks(seedOf('last year'), [task(1, population, 10)])[0]);
    const marked = population.map((f) => (lastYear.includes(f.uscc) ? { ...f, drawnLastYear: true } : f));
    const thisYear = selected(drawTasks(seedOf('this year'), [task(1, marked, 10)])[0]);
    expect(thisYear).toHaveLength(50);
    expect(thisYear.filter((u) => lastYear.includes(u))).toEqual([]);
    // With a ratio above what is left, last year's firms come back, and only then.
    const everyone = selected(drawTasks(seedOf('this year'), [task(1, marked, 100)])[0]);
    expect(everyone.slice(-50).sort()).toEqual([...lastYear].sort());
  });
});

describe('verifiable record', () => {
  const rules: VisitRules = {
    departments: [
      { id: 1, name: '市商务局', level: 'CITY', parentId: null, regionId: 1 },
      { id: 2, name: '市市场监管局', level: 'CITY', parentId: null, regionId: 1 },
    ],
    tasks: [
      {
        taskId: 1,
        leadDepartmentId: 1,
        partnerDepartmentIds: [2],
        modes: ['CITY_DRAWS_CITY_CHECKS'],
        items: [
          { id: 11, departmentId: 1, requiredSpecialty: null },
          { id: 21, departmentId: 2, requiredSpecialty: '二手车' },
        ],
      },
      {
        taskId: 2,
        leadDepartmentId: 1,
        partnerDepartmentIds: [],
        modes: ['CITY_DRAWS_CITY_CHECKS'],
        items: [{ id: 12, departmentId: 1, requiredSpecialty: null }],
      },
    ],
  };
  const officer = (id: number, departmentId: number, extra: Partial<CommittedOfficer> = {}): CommittedOfficer => ({
    id,
    name: `人员${id}`,
    certificateNo: `C${String(id).padStart(3, '0')}`,
    departmentId,
    status: 'ACTIVE',
    certificateValidUntil: null,
    specialties: [],
    conflicts: [],
    inspectedLastYear: [],
    ...extra,
  });
  const pool = [
    ...[1, 2, 3, 4].map((id) => officer(id, 1)),
    officer(5, 2, { specialties: ['二手车'] }),
    officer(6, 2, { specialties: ['二手车'] }),
    officer(7, 2),
    officer(8, 1, { certificateValidUntil: '2026-03-31' }),
    officer(9, 2, { status: 'INACTIVE', specialties: ['二手车'] }),
  ];
  const ENTROPIES = [
    { by: '纪检监察见证人', departmentId: 1, at: '2026-04-01T02:00:00Z', value: '第一位见证人的随机串' },
    { by: '市场监管见证人', departmentId: 2, at: '2026-04-01T02:01:00Z', value: '8848' },
  ];
  function record(entropies = ENTROPIES): DrawRecord {
    return buildRecord({
      drawId: 'draw-1',
      year: 2026,
      leadDepartmentId: 1,
      witnessRule: { required: 2, otherDepartment: true },
      secret: crypto.randomBytes(32).toString('hex'),
      entropies: structuredClone(entropies),
      revealedOn: '2026-04-01',
      tasks: [
        {
          ...task(1, [], 10, { riskStratified: true }),
          name: '对汽车销售企业的部门联合抽查',
          population: rowsOf([...firms(0, 80), ...firms(80, 100, RiskClass.D_HIGH)]),
        },
        { ...task(2, [], 30), name: '对二手车交易市场的部门联合抽查', population: rowsOf(firms(40, 140)) },
      ],
      rules,
      pool,
    });
  }

  it('derives the seed from secret, entropies and draw id; the commitment is the secret’s hash', () => {
    expect(deriveSeed('00ff', ['ab', 'c'], 'd')).not.toBe(deriveSeed('00ff', ['a', 'bc'], 'd'));
    const r = record();
    expect(r.commitment).toBe(commitmentOf(r.secret));
    expect(verifyRecord(r)).toEqual({ ok: true });
    // Never drawn: an expired certificate (officer 8 on 2026-04-01) or an inactive officer (9).
    const sent = new Set(Object.values((r.teams as { result: Record<string, string[]> }).result).flat());
    expect(sent.has('C008') || sent.has('C009')).toBe(false);
  });

  it('detects each kind of tampering, naming the first difference', () => {
    const cases: [string, (r: DrawRecord) => void, string][] = [
      ['secret', (r) => (r.secret = crypto.randomBytes(32).toString('hex')), '承诺值'],
      ['seed', (r) => (r.seed = seedOf('other')), '种子不符'],
      ['entropy', (r) => (r.entropies[1].value = '8849'), '种子不符'],
      ['population', (r) => (r.tasks[1].population[3][0] = syntheticUscc(999_999, '140525')), '名录'],
      ['selection', (r) => (r.tasks[0].strata[0].rounds[0][0] = syntheticUscc(999_998, '140525')), '第 1 轮第 1 个'],
      ['sample size', (r) => (r.tasks[0].strata[3].sampleSize -= 1), '抽取数量'],
      [
        'pool: an officer removed',
        (r) =>
          r.pool.splice(
            r.pool.findIndex((o) => o.id === 5),
            1,
          ),
        '执法人员库承诺值不符',
      ],
      ['pool: a specialty dropped', (r) => (r.pool.find((o) => o.id === 6)!.specialties = []), '执法人员库承诺值不符'],
      [
        'requests: a department removed from the rules',
        (r) => (r.rules.tasks[0].items = r.rules.tasks[0].items.slice(0, 1)),
        '检查组规则承诺值不符',
      ],
      ['witness rule lowered', (r) => (r.witnessRule.required = 1), '开启承诺值不符'],
      [
        'a team',
        (r) => (r.teams as { result: Record<string, string[]> }).result[Object.keys((r.teams as { result: object }).result)[0]].reverse(),
        '检查组',
      ],
    ];
    for (const [label, tamper, message] of cases) {
      const r = record();
      tamper(r);
      const result = verifyRecord(r);
      expect(result.ok, label).toBe(false);
      if (!result.ok) expect(result.difference, label).toContain(message);
    }
  });

  it('refuses a revealed record with fewer witnesses than the opening committed to', () => {
    const r = record(ENTROPIES.slice(0, 1));
    expect(verifyRecord(r)).toEqual({ ok: false, difference: expect.stringContaining('至少 2 名见证人') });
    expect(verifyRecord(record(ENTROPIES.map((e) => ({ ...e, departmentId: 1 }))))).toEqual({
      ok: false,
      difference: expect.stringContaining('发起部门以外的见证人'),
    });
    // The same record withdrawn before its reveal verifies: a withdrawal needs no witnesses.
    expect(verifyRecord({ ...r, outcome: 'WITHDRAWN' })).toEqual({ ok: true });
  });

  it('replays an amendment by the draw’s rule and rejects a forged one', () => {
    const r = record();
    const teams = r.teams as Extract<DrawRecord['teams'], { result: unknown }>;
    const [visit, team] = Object.entries(teams.result)[0];
    const pools = eligiblePools(r.pool, r.revealedOn);
    const replay = replayAmendments(r.seed, teams, pools, []);
    if (!replay.ok) throw new Error(replay.difference);
    const replacement = replay.next(visit, team[0]);
    expect(team).not.toContain(replacement.certificateNo);
    expect(replacement.departmentId).toBe(r.pool.find((o) => o.certificateNo === team[0])!.departmentId);
    const amendment = {
      visit,
      out: team[0],
      in: replacement.certificateNo,
      reason: '因病',
      by: '市商务局业务人员',
      at: '2026-04-02T01:00:00Z',
    };
    expect(verifyRecord({ ...r, amendments: [amendment] })).toEqual({ ok: true });
    const other = r.pool.find(
      (o) =>
        o.departmentId === replacement.departmentId &&
        o.status === 'ACTIVE' &&
        !o.certificateValidUntil &&
        o.certificateNo !== replacement.certificateNo &&
        !team.includes(o.certificateNo),
    )!;
    expect(verifyRecord({ ...r, amendments: [{ ...amendment, in: other.certificateNo }] })).toEqual({
      ok: false,
      difference: expect.stringContaining(`按规则应为 ${replacement.certificateNo}`),
    });
    expect(verifyRecord({ ...r, amendments: [{ ...amendment, out: 'C999' }] })).toEqual({
      ok: false,
      difference: expect.stringContaining('人员调整无效'),
    });
  });

  it('verifies @1 records with the code @1 ran, and still detects their tampering', async () => {
    const v1 = JSON.parse(await fs.readFile(path.join(projectRoot, 'test/fixtures/draw-record-v1.json'), 'utf8')) as Parameters<
      typeof verifyRecord
    >[0];
    expect(verifyRecord(v1)).toEqual({ ok: true });
    const tampered = structuredClone(v1) as { teams: { result: Record<string, string[]> } };
    const [visit] = Object.keys(tampered.teams.result);
    tampered.teams.result[visit].reverse();
    expect(verifyRecord(tampered as never)).toEqual({ ok: false, difference: expect.stringContaining(`检查组 ${visit}`) });
  });

  it('verify-draw prints MATCH for an untouched record and the difference (exit 1) for a changed one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-draw-'));
    const good = path.join(dir, 'good.json');
    const r = record();
    await fs.writeFile(good, JSON.stringify(r));
    const run = (file: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli/hub.ts', 'verify-draw', file], {
            cwd: projectRoot,
            encoding: 'utf8',
          }),
        };
      } catch (error) {
        const e = error as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    expect(run(good)).toEqual({ code: 0, out: 'MATCH\n' });
    r.tasks[0].strata[3].rounds[0].reverse();
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, JSON.stringify(r));
    const result = run(bad);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^DIFFERENT: 任务 1 的 D_HIGH 层第 1 轮第 1 个/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
