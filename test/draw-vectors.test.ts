import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { buildRecord, verifyRecord } from '../server/src/modules/draws/draw-record.js';

/**
 * docs/draw-record.md §10: the test vectors recomputed by an implementation written from the
 * document alone — node:crypto and nothing of the server but the final check that the server's
 * verifier accepts the same record.
 */
const vectors = JSON.parse(fs.readFileSync(path.join(projectRoot, 'docs/draw-record-vectors.json'), 'utf8'));
const { input, expected } = vectors;

type Part = string | number | Buffer | Part[];
const bytes = (p: Part): Buffer =>
  Buffer.isBuffer(p)
    ? p
    : typeof p === 'number'
      ? Buffer.from(String(p))
      : typeof p === 'string'
        ? Buffer.from(p, 'utf8')
        : Buffer.concat(p.map(lp));
function lp(p: Part): Buffer {
  const b = bytes(p);
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
}
const H = (tag: string, ...parts: Part[]) =>
  crypto
    .createHash('sha256')
    .update(Buffer.concat([lp(tag), ...parts.map(lp)]))
    .digest();
const u = (d: Buffer) => (d.readUInt32BE(0) * 2 ** 20 + (d.readUInt32BE(4) >>> 12)) / 2 ** 52;
const hex = (h: string) => Buffer.from(h, 'hex');
const CLASSES = ['A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'];
const MULTIPLIER = [1, 1.5, 2, 3];
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Row = [string, string, number, number];
const stratum = (rows: Row[], c: string) => rows.filter((r) => r[1] === c).sort((a, b) => byText(a[0], b[0]));
const digest = (rows: Row[]) =>
  H(
    'inspection-hub/stratum',
    rows.map((r) => [r[0], String(r[2]), r[3]]),
  ).toString('hex');

function sizes(
  task: { ratio: { kind: string; percent?: number; count?: number; percents?: Record<string, number> }; riskStratified: boolean },
  N: number[],
): number[] {
  if (task.ratio.kind === 'COUNT') {
    const total = N.reduce((a, b) => a + b, 0);
    const c = Math.min(task.ratio.count!, total);
    const exact = N.map((n) => (total ? (c * n) / total : 0));
    const out = exact.map(Math.floor);
    let left = c - out.reduce((a, b) => a + b, 0);
    const order = [0, 1, 2, 3].sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || b - a);
    for (const k of order) {
      if (left > 0 && out[k] < N[k]) {
        out[k]++;
        left--;
      }
    }
    return out;
  }
  return N.map((n, k) => {
    const percent =
      task.ratio.kind === 'PER_RISK_CLASS'
        ? (task.ratio.percents![CLASSES[k]] ?? 0)
        : Math.min(100, task.ratio.percent! * (task.riskStratified ? MULTIPLIER[k] : 1));
    return Math.min(n, Math.ceil((Math.round(percent * 100) * n) / 10000));
  });
}

describe('draw-record@2 test vectors (docs/draw-record.md §10), recomputed from the document', () => {
  const secret = hex(input.secret);
  const seed = H('inspection-hub/draw-seed', secret, ...input.entropies.map((e: { value: string }) => e.value), input.drawId);

  it('commitment, seed and firm numbers', () => {
    expect(H('inspection-hub/draw-secret', secret).toString('hex')).toBe(expected.commitment);
    expect(seed.toString('hex')).toBe(expected.seed);
    for (const f of expected.firmNumbers) expect(u(H('inspection-hub/draw/firm', seed, f.uscc))).toBe(f.u);
  });

  it('stratum digests and the four commitments', () => {
    const rows: Row[] = input.tasks[0].population;
    expect(digest(stratum(rows, 'A_LOW'))).toBe(expected.stratumDigestTask1A);
    const populations = H(
      'inspection-hub/populations',
      input.tasks.flatMap((t: { taskId: number; population: Row[] }) =>
        CLASSES.map((c) => [t.taskId, c, stratum(t.population, c).length, digest(stratum(t.population, c))]),
      ),
    ).toString('hex');
    expect(populations).toBe(expected.populationCommitment);
    const pool = H(
      'inspection-hub/officer-pool',
      [...input.pool]
        .sort((a, b) => byText(a.certificateNo, b.certificateNo))
        .map((o) => [
          o.id,
          o.certificateNo,
          o.name,
          o.departmentId,
          o.status,
          o.certificateValidUntil ?? '',
          [...o.specialties].sort(),
          [...o.conflicts].sort(),
          [...o.inspectedLastYear].sort(),
        ]),
    ).toString('hex');
    expect(pool).toBe(expected.poolCommitment);
    const rules = H(
      'inspection-hub/visit-rules',
      input.rules.departments.map((d: { id: number; name: string; level: string; parentId: number | null; regionId: number }) => [
        d.id,
        d.name,
        d.level,
        d.parentId ?? '',
        d.regionId,
      ]),
      input.rules.tasks.map(
        (t: {
          taskId: number;
          leadDepartmentId: number;
          partnerDepartmentIds: number[];
          modes: string[];
          items: { id: number; departmentId: number; requiredSpecialty: string | null }[];
        }) => [
          t.taskId,
          t.leadDepartmentId,
          t.partnerDepartmentIds,
          [...t.modes].sort(),
          t.items.map((i) => [i.id, i.departmentId, i.requiredSpecialty ?? '']),
        ],
      ),
    ).toString('hex');
    expect(rules).toBe(expected.rulesCommitment);
    const opening = H(
      'inspection-hub/opening',
      input.drawId,
      input.year,
      input.leadDepartmentId,
      expected.commitment,
      populations,
      pool,
      rules,
      input.witnessRule.required,
      input.witnessRule.otherDepartment ? 1 : 0,
    ).toString('hex');
    expect(opening).toBe(expected.openingCommitment);
  });

  it('sample sizes, rounds and rotation', () => {
    for (const [i, task] of input.tasks.entries()) {
      const N = CLASSES.map((c) => stratum(task.population, c).length);
      const n = sizes(task, N);
      CLASSES.forEach((c, k) => {
        const ordered = stratum(task.population, c)
          .map((r) => ({ uscc: r[0], last: r[2], key: r[2] + u(H('inspection-hub/draw/firm', seed, r[0])) }))
          .sort((a, b) => a.key - b.key || byText(a.uscc, b.uscc));
        const rounds = Array.from({ length: Math.max(1, task.rounds) }, (_, r) =>
          ordered.slice(r * n[k], r * n[k] + n[k]).map((f) => f.uscc),
        );
        const got = expected.strata[i].strata[k];
        expect({ size: got.size, sampleSize: got.sampleSize, rounds: got.rounds }, `task ${task.taskId} ${c}`).toEqual({
          size: N[k],
          sampleSize: n[k],
          rounds,
        });
        const taken = ordered.slice(0, n[k] * Math.max(1, task.rounds));
        expect(got.rotated).toEqual(taken.filter((f) => f.last === 1).map((f) => f.uscc));
      });
    }
  });

  it('officer ranks, a visit start, and the visits’ requests', () => {
    for (const r of expected.officerRanks) expect(H('inspection-hub/officer-rank', seed, r.certificateNo).toString('hex')).toBe(r.rank);
    const { visit, departmentId, officers, start } = expected.visitStart;
    expect(Math.floor(u(H('inspection-hub/visit-start', seed, visit, departmentId)) * officers)).toBe(start);
    // Visits: (round, firm) pairs; order by round, smallest place, USCC; items the union of the tasks'.
    const visits = new Map<string, { round: number; position: number; uscc: string; tasks: Set<number> }>();
    for (const [i, task] of input.tasks.entries())
      for (const s of expected.strata[i].strata)
        s.rounds.forEach((list: string[], r: number) =>
          list.forEach((uscc, position) => {
            const v = visits.get(`${r}:${uscc}`) ?? { round: r, position, uscc, tasks: new Set<number>() };
            v.position = Math.min(v.position, position);
            v.tasks.add(task.taskId);
            visits.set(`${r}:${uscc}`, v);
          }),
        );
    const ordered = [...visits.entries()].sort(([, a], [, b]) => a.round - b.round || a.position - b.position || byText(a.uscc, b.uscc));
    type RuleTask = {
      taskId: number;
      leadDepartmentId: number;
      items: { id: number; departmentId: number; requiredSpecialty: string | null }[];
    };
    const tasks = new Map((input.rules.tasks as RuleTask[]).map((t) => [t.taskId, t]));
    const requests = ordered.map(([key, v]) => {
      const ts = [...v.tasks].sort((a, b) => a - b).map((id) => tasks.get(id)!);
      const items = [...new Map(ts.flatMap((t) => t.items).map((i) => [i.id, i])).values()].sort((a, b) => a.id - b.id);
      const lead = ts[0].leadDepartmentId;
      const departments = [lead, ...[...new Set(items.map((i) => i.departmentId))].filter((d) => d !== lead).sort((a, b) => a - b)];
      return {
        key,
        firm: v.uscc,
        itemIds: items.map((i) => i.id),
        departments: departments.map((d) => ({
          departmentId: d,
          name: input.rules.departments.find((x: { id: number }) => x.id === d).name,
          specialties: [
            ...new Set(items.filter((i) => i.departmentId === d && i.requiredSpecialty).map((i) => i.requiredSpecialty)),
          ].sort(),
        })),
      };
    });
    expect(requests).toEqual(expected.teams.requests);
  });

  it('is what the server computes and verifies, teams and cap breaches included', () => {
    const record = buildRecord(input);
    expect(record.teams).toEqual(expected.teams);
    expect(verifyRecord(record)).toEqual({ ok: true });
  });
});
