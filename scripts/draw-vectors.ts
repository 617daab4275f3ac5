/**
 * Prints the test vectors of docs/draw-record.md §10 (run: npx tsx scripts/draw-vectors.ts): a
 * small draw with every intermediate value, computed by the server's code. test/draw-vectors.test.ts
 * recomputes them with an implementation written from the document alone.
 */
import crypto from 'node:crypto';
import { buildRecord } from '../server/src/modules/draws/draw-record.js';
import { FirmRandom, officerRank, visitStarts } from '../server/src/modules/draws/record-hash.js';
import { encodePopulation, type PopulationRow, stratumSummaries } from '../server/src/modules/draws/selection.js';
import type { CommittedOfficer } from '../server/src/modules/draws/visit-rules.js';
import { RiskClass } from '../server/src/modules/registry/registry.enums.js';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';

const classes = [RiskClass.A_LOW, RiskClass.B_GENERAL, RiskClass.C_ELEVATED, RiskClass.D_HIGH];
const population: PopulationRow[] = Array.from({ length: 24 }, (_, i) => [
  syntheticUscc(i, '140525'),
  classes[i % 3 === 2 ? 3 : i % 2],
  i === 5 ? 1 : 0,
  i < 12 ? 7 : 8,
]);
const officer = (
  id: number,
  departmentId: number,
  specialties: string[] = [],
  extra: Partial<CommittedOfficer> = {},
): CommittedOfficer => ({
  id,
  name: `执法人员${id}`,
  certificateNo: `14050${departmentId}00${id}`,
  departmentId,
  status: 'ACTIVE',
  certificateValidUntil: '2027-12-31',
  specialties,
  conflicts: [],
  inspectedLastYear: [],
  ...extra,
});
const input = {
  drawId: '3f0c2a5e-7d1b-4c8e-9a6f-000000000001',
  year: 2026,
  leadDepartmentId: 1,
  witnessRule: { required: 1, otherDepartment: false },
  secret: crypto.createHash('sha256').update('draw-record@2 test vector').digest('hex'),
  entropies: [{ by: '纪检监察见证人', departmentId: 1, at: '2026-04-01T02:00:00.000Z', value: '3-5-6 掷骰' }],
  revealedOn: '2026-04-01',
  tasks: [
    {
      taskId: 1,
      name: '对汽车销售企业的部门联合抽查',
      ratio: { kind: 'PERCENT' as const, percent: 20 },
      riskStratified: true,
      rounds: 1,
      population,
    },
    {
      taskId: 2,
      name: '对二手车经营主体的抽查',
      ratio: { kind: 'COUNT' as const, count: 3 },
      riskStratified: false,
      rounds: 2,
      population: population.slice(8),
    },
  ],
  rules: {
    departments: [
      { id: 1, name: '晋城市商务局', level: 'CITY' as const, parentId: null, regionId: 1 },
      { id: 2, name: '晋城市市场监督管理局', level: 'CITY' as const, parentId: null, regionId: 1 },
    ],
    tasks: [
      {
        taskId: 1,
        leadDepartmentId: 1,
        partnerDepartmentIds: [2],
        modes: ['CITY_DRAWS_CITY_CHECKS'],
        items: [
          { id: 101, departmentId: 1, requiredSpecialty: null },
          { id: 201, departmentId: 2, requiredSpecialty: '二手车' },
        ],
      },
      {
        taskId: 2,
        leadDepartmentId: 1,
        partnerDepartmentIds: [],
        modes: ['CITY_DRAWS_CITY_CHECKS'],
        items: [{ id: 102, departmentId: 1, requiredSpecialty: null }],
      },
    ],
  },
  pool: [
    officer(1, 1),
    officer(2, 1, [], { conflicts: [population[0][0]] }),
    officer(3, 1),
    officer(4, 2, ['二手车']),
    officer(5, 2, ['二手车'], { certificateValidUntil: '2026-03-31' }),
    officer(6, 2),
  ],
};
const record = buildRecord(input);
const t1 = encodePopulation(population);
const strata = stratumSummaries(t1);
const firm = new FirmRandom(record.seed);
const start = visitStarts(record.seed);
const visit = Object.keys((record.teams as { result: object }).result)[0];
console.log(
  JSON.stringify(
    {
      input,
      expected: {
        commitment: record.commitment,
        seed: record.seed,
        firmNumbers: population.slice(0, 3).map(([uscc]) => ({ uscc, u: firm.ofText(uscc) })),
        stratumDigestTask1A: strata.A_LOW.populationDigest,
        populationCommitment: record.populationCommitment,
        poolCommitment: record.poolCommitment,
        rulesCommitment: record.rulesCommitment,
        openingCommitment: record.openingCommitment,
        officerRanks: input.pool
          .slice(0, 3)
          .map((o) => ({ certificateNo: o.certificateNo, rank: officerRank(record.seed, o.certificateNo) })),
        visitStart: { visit, departmentId: 1, officers: 3, start: start(visit, 1, 3) },
        strata: record.tasks.map((t) => ({
          taskId: t.taskId,
          strata: t.strata.map((s) => ({
            riskClass: s.riskClass,
            size: s.size,
            sampleSize: s.sampleSize,
            rounds: s.rounds,
            rotated: s.rotated,
          })),
        })),
        teams: record.teams,
      },
    },
    null,
    1,
  ),
);
