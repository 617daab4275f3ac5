import crypto from 'node:crypto';
import type { RiskClass } from '../registry/registry.enums.js';
import { assignTeams, type PoolOfficer, type TeamRequest } from './officer-assignment.js';
import { RISK_CLASSES, type RatioSpec, sampleSizes, type Verification } from './selection.js';

/**
 * draw-record@1, the format of draws revealed before 2026-12: kept only so that `verify-draw`
 * still verifies those records. Frozen as it ran then (docs/draw-record.md §9 lists how it differs
 * from @2); new draws write @2 (draw-record.ts).
 */
export interface DrawRecordV1 {
  format: 'inspection-hub/draw-record@1';
  drawId: string;
  year: number;
  commitment: string;
  populationCommitment: string;
  secret: string;
  entropies: { by: string; at: string; value: string }[];
  seed: string;
  tasks: {
    taskId: number;
    name: string;
    ratio: RatioSpec;
    riskStratified: boolean;
    rounds: number;
    population: [uscc: string, riskClass: RiskClass, drawnLastYear?: 1][];
    strata: {
      riskClass: RiskClass;
      size: number;
      sampleSize: number;
      percent: number | null;
      populationDigest: string;
      rounds: string[][];
    }[];
  }[];
  teams?: {
    departments: [id: number, name: string][];
    pools: {
      departmentId: number;
      officers: {
        id: number;
        name: string;
        certificateNo: string;
        departmentId: number;
        specialties: string[];
        conflicts: number[];
        inspectedLastYear: string[];
      }[];
    }[];
    requests: { key: string; label: string; enterpriseId: number; itemIds: number[]; departments: TeamRequest['departments'] }[];
    result: Record<string, string[]>;
  };
}

type Firm = { uscc: string; riskClass: RiskClass; drawnLastYear: boolean };

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest();

/** @1: SHA-256(lp(secret bytes) ‖ lp(entropy)… ‖ lp(draw id)), no tag. */
function seedV1(secretHex: string, entropies: string[], drawId: string): string {
  const hash = crypto.createHash('sha256');
  for (const part of [Buffer.from(secretHex, 'hex'), ...entropies.map((e) => Buffer.from(e, 'utf8')), Buffer.from(drawId, 'utf8')]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    hash.update(length).update(part);
  }
  return hash.digest('hex');
}

/** @1: SHA-256 of the sorted lines ("USCC", or "USCC *" when drawn last year) joined by "\n". */
function digestV1(firms: Firm[]): string {
  return sha256(
    firms
      .map((f) => (f.drawnLastYear ? `${f.uscc} *` : f.uscc))
      .sort()
      .join('\n'),
  ).toString('hex');
}

/** @1: u = first 52 bits of SHA-256(seed bytes ‖ USCC), no prefixes. */
function unitV1(seed: Buffer, uscc: string): number {
  const d = sha256(Buffer.concat([seed, Buffer.from(uscc, 'utf8')]));
  return (d.readUInt32BE(0) * 2 ** 20 + (d.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/** @1 officer order: SHA-256 of the text "<seed hex>|<visit key>|<certificate>". */
function orderV1(seed: string, key: string, officers: PoolOfficer[]): PoolOfficer[] {
  const rank = (o: PoolOfficer) => sha256(`${seed}|${key}|${o.certificateNo}`).toString('hex');
  return officers
    .map((o) => ({ o, r: rank(o) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .map((x) => x.o);
}

/** Re-runs an @1 record; names the first difference. */
export function verifyRecordV1(record: DrawRecordV1): Verification {
  if (sha256(Buffer.from(record.secret, 'hex')).toString('hex') !== record.commitment) {
    return { ok: false, difference: '承诺值与公布的密钥不符：密钥在抽取前后被更换' };
  }
  const seed = seedV1(
    record.secret,
    record.entropies.map((e) => e.value),
    record.drawId,
  );
  if (seed !== record.seed)
    return { ok: false, difference: `种子不符：由密钥、见证人随机串和抽取编号重算为 ${seed}，记录为 ${record.seed}` };
  const commitment = crypto.createHash('sha256');
  const seedBytes = Buffer.from(seed, 'hex');
  for (const task of record.tasks) {
    const firms: Firm[] = task.population.map(([uscc, riskClass, last]) => ({ uscc, riskClass, drawnLastYear: last === 1 }));
    const byClass = Object.fromEntries(RISK_CLASSES.map((r) => [r, firms.filter((f) => f.riskClass === r)])) as Record<RiskClass, Firm[]>;
    const n = sampleSizes(task, Object.fromEntries(RISK_CLASSES.map((r) => [r, byClass[r].length])) as Record<RiskClass, number>);
    for (const [k, r] of RISK_CLASSES.entries()) {
      const stratum = task.strata[k];
      const digest = digestV1(byClass[r]);
      commitment.update(`${task.taskId}:${r}:${digest}\n`);
      if (stratum?.riskClass !== r || digest !== stratum.populationDigest) {
        return { ok: false, difference: `任务 ${task.taskId} 的 ${r} 层名录与抽取时不同（名录摘要不符）` };
      }
      if (n[r].n !== stratum.sampleSize) {
        return { ok: false, difference: `任务 ${task.taskId} 的 ${r} 层抽取数量：记录为 ${stratum.sampleSize}，重算为 ${n[r].n}` };
      }
      const ordered = byClass[r]
        .map((f) => ({ uscc: f.uscc, key: (f.drawnLastYear ? 1 : 0) + unitV1(seedBytes, f.uscc) }))
        .sort((a, b) => a.key - b.key || (a.uscc < b.uscc ? -1 : 1))
        .map((f) => f.uscc);
      for (let round = 0; round < Math.max(1, task.rounds); round++) {
        const start = Math.min(round * n[r].n, ordered.length);
        const expected = ordered.slice(start, Math.min(start + n[r].n, ordered.length)).join(',');
        if ((stratum.rounds[round] ?? []).join(',') !== expected) {
          return { ok: false, difference: `任务 ${task.taskId} 的 ${r} 层第 ${round + 1} 轮抽中企业与重算结果不同` };
        }
      }
    }
  }
  if (commitment.digest('hex') !== record.populationCommitment) {
    return { ok: false, difference: '名录承诺值不符：抽取时公布的名录摘要与记录中的名录不一致' };
  }
  if (!record.teams) return { ok: true };
  const { teams } = record;
  const pools = new Map<number, PoolOfficer[]>(
    teams.pools.map((p) => [
      p.departmentId,
      p.officers.map((o) => ({ ...o, conflicts: o.conflicts.map(String), inspectedLastYear: o.inspectedLastYear })),
    ]),
  );
  try {
    const again = assignTeams(
      teams.requests.map((r) => ({ key: r.key, firm: String(r.enterpriseId), itemIds: r.itemIds, departments: r.departments })),
      pools,
      new Map(teams.departments),
      {
        order: (key, department) => orderV1(seed, key, pools.get(department) ?? []),
        labelOf: (firm) => teams.requests.find((r) => String(r.enterpriseId) === firm)?.label ?? firm,
      },
    ).teams;
    for (const [visit, recorded] of Object.entries(teams.result)) {
      const rerun = (again.get(visit) ?? []).map((o) => o.certificateNo);
      if (rerun.join(',') !== recorded.join(',')) {
        return { ok: false, difference: `检查组 ${visit}：记录为 ${recorded.join('、')}，重算为 ${rerun.join('、')}` };
      }
    }
  } catch (error) {
    return { ok: false, difference: `按记录重新抽派执法人员失败：${(error as Error).message}` };
  }
  return { ok: true };
}
