import crypto from 'node:crypto';
import type { RiskClass } from '../registry/registry.enums.js';
import { assignTeams, type PoolOfficer, type TeamRequest } from './officer-assignment.js';
import {
  commitmentOf,
  deriveSeed,
  drawTasks,
  populationDigest,
  populationLine,
  RISK_CLASSES,
  type RatioSpec,
  type StratumResult,
  type StratumSummary,
  stratumSummaries,
  type TaskDrawSpec,
} from './selection.js';

/**
 * Everything needed to re-run a draw offline and get the identical list: the commitment and the
 * secret behind it, the witnesses' entropy, the parameters, each task's eligible population, and
 * the selections. Written once when the draw is revealed; never edited.
 */
export interface DrawRecord {
  format: 'inspection-hub/draw-record@1';
  drawId: string;
  year: number;
  /** SHA-256(secret), published when the draw was opened. */
  commitment: string;
  /** SHA-256 over the tasks' population digests, published with the commitment. */
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
    /** [USCC, risk class, 1 when last year's draws inspected it for the task's items]. */
    population: [uscc: string, riskClass: RiskClass, drawnLastYear?: 1][];
    strata: StratumResult[];
  }[];
  /** The officer draw: its inputs (pools, visits) and result, re-run by verify-draw. */
  teams?: TeamRecord;
}

export interface TeamRecord {
  departments: [id: number, name: string][];
  pools: {
    departmentId: number;
    officers: (Omit<PoolOfficer, 'conflicts' | 'inspectedLastYear'> & { conflicts: number[]; inspectedLastYear: string[] })[];
  }[];
  requests: TeamRequest[];
  /** Visit key → the team's certificate numbers. */
  result: Record<string, string[]>;
}

/** Draws the teams and writes down everything needed to draw them again. */
export function drawTeams(seed: string, requests: TeamRequest[], pools: Map<number, PoolOfficer[]>, departmentNames: Map<number, string>) {
  const teams = assignTeams(seed, requests, pools, departmentNames);
  const record: TeamRecord = {
    departments: [...departmentNames],
    pools: [...pools].map(([departmentId, officers]) => ({
      departmentId,
      officers: officers.map((o) => ({ ...o, conflicts: [...o.conflicts], inspectedLastYear: [...o.inspectedLastYear] })),
    })),
    requests,
    result: Object.fromEntries([...teams].map(([key, team]) => [key, team.map((o) => o.certificateNo)])),
  };
  return { teams, record };
}

function verifyTeams(seed: string, teams: TeamRecord): Verification {
  const pools = new Map(
    teams.pools.map((p) => [
      p.departmentId,
      p.officers.map((o) => ({ ...o, conflicts: new Set(o.conflicts), inspectedLastYear: new Set(o.inspectedLastYear) })),
    ]),
  );
  let again: Map<string, PoolOfficer[]>;
  try {
    again = assignTeams(seed, teams.requests, pools, new Map(teams.departments));
  } catch (error) {
    return { ok: false, difference: `按记录重新抽派执法人员失败：${(error as Error).message}` };
  }
  for (const [visit, recorded] of Object.entries(teams.result)) {
    const rerun = (again.get(visit) ?? []).map((o) => o.certificateNo);
    if (rerun.join(',') !== recorded.join(',')) {
      return { ok: false, difference: `检查组 ${visit}：记录为 ${recorded.join('、')}，重算为 ${rerun.join('、')}` };
    }
  }
  return { ok: true };
}

/** Firms from the rows a record lists them in. */
export function firmsOf(rows: DrawRecord['tasks'][number]['population']): TaskDrawSpec['population'] {
  return rows.map(([uscc, riskClass, drawnLastYear]) => ({ uscc, riskClass, drawnLastYear: drawnLastYear === 1 }));
}

export function specsOf(record: DrawRecord): TaskDrawSpec[] {
  return record.tasks.map((t) => ({
    taskId: t.taskId,
    ratio: t.ratio,
    riskStratified: t.riskStratified,
    rounds: t.rounds,
    population: firmsOf(t.population),
  }));
}

/** Commits to every task's strata (size and digest of each eligible list) before the seed exists. */
export function commitmentOfStrata(tasks: { taskId: number; strata: Record<RiskClass, StratumSummary> }[]): string {
  const hash = crypto.createHash('sha256');
  for (const task of tasks) {
    for (const r of RISK_CLASSES) hash.update(`${task.taskId}:${r}:${task.strata[r].populationDigest}\n`);
  }
  return hash.digest('hex');
}

/** The same commitment, from whole populations (what a verifier has). */
export function populationCommitment(specs: TaskDrawSpec[]): string {
  return commitmentOfStrata(specs.map((s) => ({ taskId: s.taskId, strata: stratumSummaries(s.population) })));
}

export type Verification = { ok: true } | { ok: false; difference: string };

/** Re-runs the draw from its record with the same code the server ran; names the first difference. */
export function verifyRecord(record: DrawRecord): Verification {
  if (record.format !== 'inspection-hub/draw-record@1')
    return { ok: false, difference: `不是抽取记录文件（format=${String(record.format)}）` };
  if (commitmentOf(record.secret) !== record.commitment) {
    return { ok: false, difference: '承诺值与公布的密钥不符：密钥在抽取前后被更换' };
  }
  const seed = deriveSeed(
    record.secret,
    record.entropies.map((e) => e.value),
    record.drawId,
  );
  if (seed !== record.seed)
    return { ok: false, difference: `种子不符：由密钥、见证人随机串和抽取编号重算为 ${seed}，记录为 ${record.seed}` };
  const specs = specsOf(record);
  if (populationCommitment(specs) !== record.populationCommitment) {
    // Find which task and stratum changed, for the message.
    for (const [i, spec] of specs.entries()) {
      for (const stratum of record.tasks[i].strata) {
        const digest = populationDigest(spec.population.filter((f) => f.riskClass === stratum.riskClass).map(populationLine));
        if (digest !== stratum.populationDigest) {
          return { ok: false, difference: `任务 ${spec.taskId} 的 ${stratum.riskClass} 层名录与抽取时不同（名录摘要不符）` };
        }
      }
    }
    return { ok: false, difference: '名录承诺值不符：抽取时公布的名录摘要与记录中的名录不一致' };
  }
  const rerun = drawTasks(seed, specs);
  for (const [i, task] of record.tasks.entries()) {
    for (const [k, stratum] of task.strata.entries()) {
      const again = rerun[i].strata[k];
      if (again.riskClass !== stratum.riskClass || again.populationDigest !== stratum.populationDigest) {
        return { ok: false, difference: `任务 ${task.taskId} 的 ${stratum.riskClass} 层名录摘要不符` };
      }
      if (again.sampleSize !== stratum.sampleSize) {
        return {
          ok: false,
          difference: `任务 ${task.taskId} 的 ${stratum.riskClass} 层抽取数量：记录为 ${stratum.sampleSize}，重算为 ${again.sampleSize}`,
        };
      }
      for (const [r, round] of stratum.rounds.entries()) {
        const expected = again.rounds[r] ?? [];
        const length = Math.max(round.length, expected.length);
        for (let j = 0; j < length; j++) {
          if (round[j] !== expected[j]) {
            return {
              ok: false,
              difference: `任务 ${task.taskId} 的 ${stratum.riskClass} 层第 ${r + 1} 轮第 ${j + 1} 个：记录为 ${round[j] ?? '（无）'}，重算为 ${expected[j] ?? '（无）'}`,
            };
          }
        }
      }
    }
  }
  return record.teams ? verifyTeams(seed, record.teams) : { ok: true };
}

export interface RecordInput {
  drawId: string;
  year: number;
  secret: string;
  /** The seed when the caller has derived it already (the reveal); derived from the parts otherwise. */
  seed?: string;
  entropies: DrawRecord['entropies'];
  tasks: (TaskDrawSpec & { name: string })[];
}

/** A task's population as the record lists it. */
export function populationRows(population: TaskDrawSpec['population']): DrawRecord['tasks'][number]['population'] {
  return population.map((f): DrawRecord['tasks'][number]['population'][number] =>
    f.drawnLastYear ? [f.uscc, f.riskClass, 1] : [f.uscc, f.riskClass],
  );
}

/**
 * The record around a draw's results. The server stores it without the populations (they were
 * kept when the draw opened, and are the bulk of it) and puts them back on reading: withPopulations.
 */
export function recordOf(
  input: Omit<RecordInput, 'tasks'> & { tasks: Omit<RecordInput['tasks'][number], 'population'>[] },
  populationCommitmentHex: string,
  results: { strata: StratumResult[] }[],
  populations?: DrawRecord['tasks'][number]['population'][],
): DrawRecord {
  return {
    format: 'inspection-hub/draw-record@1',
    drawId: input.drawId,
    year: input.year,
    commitment: commitmentOf(input.secret),
    populationCommitment: populationCommitmentHex,
    secret: input.secret,
    entropies: input.entropies,
    seed:
      input.seed ??
      deriveSeed(
        input.secret,
        input.entropies.map((e) => e.value),
        input.drawId,
      ),
    tasks: input.tasks.map((t, i) => ({
      taskId: t.taskId,
      name: t.name,
      ratio: t.ratio,
      riskStratified: t.riskStratified,
      rounds: t.rounds,
      population: populations?.[i] ?? [],
      strata: results[i].strata,
    })),
  };
}

/** The full record: the populations kept since the opening put back into their tasks. */
export function withPopulations(record: DrawRecord, populations: Record<number, DrawRecord['tasks'][number]['population']>): DrawRecord {
  return { ...record, tasks: record.tasks.map((t) => ({ ...t, population: populations[t.taskId] ?? t.population })) };
}

/** Runs the draw over its populations and writes the whole record (tests, the benchmark's reference). */
export function runDraw(input: RecordInput): DrawRecord {
  const seed = deriveSeed(
    input.secret,
    input.entropies.map((e) => e.value),
    input.drawId,
  );
  return recordOf(
    input,
    populationCommitment(input.tasks),
    drawTasks(seed, input.tasks),
    input.tasks.map((t) => populationRows(t.population)),
  );
}
