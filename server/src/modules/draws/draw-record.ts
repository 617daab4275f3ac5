import type { RiskClass } from '../registry/registry.enums.js';
import {
  type CapBreach,
  assignTeams,
  loadCaps,
  type PoolOfficer,
  replacementFor,
  type TeamRequest,
  type TeamRules,
} from './officer-assignment.js';
import { commitmentOf, deriveSeed, officerRank, recordHash, TAGS, visitStarts } from './record-hash.js';
import { type DrawRecordV1, verifyRecordV1 } from './record-v1.js';
import {
  decodePopulation,
  drawTasks,
  encodePopulation,
  type PopulationRow,
  populationCommitment,
  RISK_CLASSES,
  sampleSizes,
  type StratumResult,
  type StratumSummary,
  stratumSummaries,
  type TaskDrawResult,
  type TaskParams,
  type Verification,
} from './selection.js';
import {
  type CommittedOfficer,
  eligiblePools,
  poolCommitment,
  rulesCommitment,
  teamRequests,
  type VisitRules,
  visitsOf,
} from './visit-rules.js';

/**
 * draw-record@2 (docs/draw-record.md): everything needed to re-run a draw offline — what was
 * committed at the opening (populations, officer pool, visit rules, witness rule), the secret and
 * the witnesses' strings, the selections, the teams with every cap breach, and the amendments.
 */
export const RECORD_FORMAT = 'inspection-hub/draw-record@2';
export const PUBLIC_RECORD_FORMAT = 'inspection-hub/public-draw-record@2';

export interface WitnessRule {
  /** Witness strings a reveal needs (at least 1). */
  required: number;
  /** At least one witness of a department other than the drawing one. */
  otherDepartment: boolean;
}

/** What the opening publishes: every commitment, and the one commitment over them all. */
export interface Opening {
  drawId: string;
  year: number;
  leadDepartmentId: number;
  witnessRule: WitnessRule;
  commitment: string;
  populationCommitment: string;
  poolCommitment: string;
  rulesCommitment: string;
  openingCommitment: string;
}

export interface Amendment {
  visit: string;
  out: string;
  in: string;
  reason: string;
  by: string;
  at: string;
}

export type TeamsRecord = { requests: TeamRequest[]; result: Record<string, string[]>; capBreaches: CapBreach[] } | { error: string };

export interface DrawRecord extends Opening {
  format: typeof RECORD_FORMAT;
  /** WITHDRAWN: cancelled before the reveal; the secret and what the draw would have selected are published anyway. */
  outcome: 'REVEALED' | 'WITHDRAWN';
  withdrawal?: { at: string; by: string; reason: string };
  secret: string;
  entropies: { by: string; departmentId: number; at: string; value: string }[];
  seed: string;
  /** The date (China) on which certificates were checked: a certificate valid until before it is not drawn. */
  revealedOn: string;
  tasks: (TaskParams & { name: string; population: PopulationRow[]; strata: StratumResult[] })[];
  rules: VisitRules;
  pool: CommittedOfficer[];
  teams: TeamsRecord;
  amendments: Amendment[];
}

/** H("inspection-hub/opening", draw id, year, lead department, the four commitments, witnesses required, other department 0/1). */
export function openingCommitment(o: Omit<Opening, 'openingCommitment'>): string {
  return recordHash(
    TAGS.opening,
    o.drawId,
    o.year,
    o.leadDepartmentId,
    o.commitment,
    o.populationCommitment,
    o.poolCommitment,
    o.rulesCommitment,
    o.witnessRule.required,
    o.witnessRule.otherDepartment ? 1 : 0,
  );
}

/** The draw's officer order: each department's eligible officers on a circle by rank; a visit walks it from its own start. */
export function teamRules(seed: string, pools: Map<number, PoolOfficer[]>, labelOf?: (uscc: string) => string): TeamRules {
  const circles = new Map<number, PoolOfficer[]>();
  for (const [deptId, pool] of pools) {
    const ranked = pool.map((o) => ({ o, r: officerRank(seed, o.certificateNo) })).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
    circles.set(
      deptId,
      ranked.map((x) => x.o),
    );
  }
  const start = visitStarts(seed);
  return {
    labelOf,
    order: (key, deptId) => {
      const circle = circles.get(deptId) ?? [];
      const from = start(key, deptId, circle.length);
      return circle.slice(from).concat(circle.slice(0, from));
    },
  };
}

type CompactTask = TaskParams & { population: Buffer; strata: Record<RiskClass, StratumSummary> };

/** The selections, and each selected firm's committed region (the 市抽县查 rule reads it). */
export function selectAll(seed: string, tasks: CompactTask[]): { results: TaskDrawResult[]; regions: Map<string, number> } {
  const regions = new Map<string, number>();
  return { results: drawTasks(seed, tasks, regions), regions };
}

/** Visits, requests and teams from the selections and the committed rules and pool; a failure is kept as the record's teams.error. */
export function drawTeams(
  seed: string,
  selection: ReturnType<typeof selectAll>,
  rules: VisitRules,
  pool: CommittedOfficer[],
  revealedOn: string,
  labelOf?: (uscc: string) => string,
) {
  const visits = visitsOf(selection.results, rules);
  const pools = eligiblePools(pool, revealedOn);
  try {
    const requests = teamRequests(visits, rules, (uscc) => selection.regions.get(uscc)!, labelOf);
    const assigned = assignTeams(requests, pools, new Map(rules.departments.map((d) => [d.id, d.name])), teamRules(seed, pools, labelOf));
    const teams: TeamsRecord = {
      requests,
      result: Object.fromEntries([...assigned.teams].map(([key, team]) => [key, team.map((o) => o.certificateNo)])),
      capBreaches: assigned.breaches,
    };
    return { visits, pools, teams, assigned, failure: null };
  } catch (error) {
    return { visits, pools, teams: { error: (error as Error).message } as TeamsRecord, assigned: null, failure: error as Error };
  }
}

/** A record's tasks with their populations in the compact form the selection reads. */
export function compactTasks(record: { tasks: (TaskParams & { population: PopulationRow[] })[] }) {
  return record.tasks.map((t) => {
    const population = encodePopulation(t.population);
    return {
      taskId: t.taskId,
      ratio: t.ratio,
      riskStratified: t.riskStratified,
      rounds: t.rounds,
      population,
      strata: stratumSummaries(population),
    };
  });
}

/**
 * Replays amendments over the drawn teams, checking each replacement is the rule's; returns the
 * teams after them, or the first amendment that is not.
 */
export function replayAmendments(
  seed: string,
  teams: Extract<TeamsRecord, { requests: unknown }>,
  pools: Map<number, PoolOfficer[]>,
  amendments: Amendment[],
  labelOf?: (uscc: string) => string,
): { ok: true; teams: Map<string, PoolOfficer[]>; next: (visit: string, out: string) => PoolOfficer } | { ok: false; difference: string } {
  const byCertificate = new Map([...pools.values()].flat().map((o) => [o.certificateNo, o]));
  const current = new Map(Object.entries(teams.result).map(([key, certs]) => [key, certs.map((c) => byCertificate.get(c)!)]));
  const requests = new Map(teams.requests.map((r) => [r.key, r]));
  const rules = teamRules(seed, pools, labelOf);
  const caps = loadCaps(teams.requests, pools);
  const left = new Map<string, Set<string>>();
  const next = (visit: string, out: string): PoolOfficer => {
    const team = current.get(visit);
    const request = requests.get(visit);
    const leaving = team?.find((o) => o.certificateNo === out);
    if (!team || !request || !leaving) throw new Error(`检查组 ${visit} 中没有执法证号为 ${out} 的执法人员`);
    const load = new Map<number, number>();
    for (const t of current.values()) for (const o of t) load.set(o.id, (load.get(o.id) ?? 0) + 1);
    const before = left.get(visit) ?? new Set([out]);
    before.add(out);
    return replacementFor(request, team, leaving, load, caps.get(leaving.departmentId) ?? 1, before, rules);
  };
  for (const [n, a] of amendments.entries()) {
    let replacement: PoolOfficer;
    try {
      replacement = next(a.visit, a.out);
    } catch (error) {
      return { ok: false, difference: `第 ${n + 1} 次人员调整无效：${(error as Error).message}` };
    }
    if (replacement.certificateNo !== a.in) {
      return {
        ok: false,
        difference: `第 ${n + 1} 次人员调整（检查组 ${a.visit}）：记录的替换人员为 ${a.in}，按规则应为 ${replacement.certificateNo}`,
      };
    }
    left.set(a.visit, (left.get(a.visit) ?? new Set()).add(a.out));
    current.set(
      a.visit,
      current.get(a.visit)!.map((o) => (o.certificateNo === a.out ? replacement : o)),
    );
  }
  return { ok: true, teams: current, next };
}

const differ = (difference: string): Verification => ({ ok: false, difference });

/** JSON with object keys sorted: a stored record comes back from jsonb with its keys reordered. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** Re-runs a draw from its record (@2, or @1 with the code @1 ran); names the first difference. */
export function verifyRecord(record: DrawRecord | DrawRecordV1): Verification {
  if (record.format === 'inspection-hub/draw-record@1') return verifyRecordV1(record);
  if (record.format !== RECORD_FORMAT) return differ(`不是抽取记录文件（format=${String((record as { format: unknown }).format)}）`);
  if (commitmentOf(record.secret) !== record.commitment) return differ('承诺值与公布的密钥不符：密钥在抽取前后被更换');
  const seed = deriveSeed(
    record.secret,
    record.entropies.map((e) => e.value),
    record.drawId,
  );
  if (seed !== record.seed) return differ(`种子不符：由密钥、见证人随机串和抽取编号重算为 ${seed}，记录为 ${record.seed}`);
  const tasks = compactTasks(record);
  for (const [i, task] of tasks.entries()) {
    for (const r of RISK_CLASSES) {
      const stratum = record.tasks[i].strata.find((s) => s.riskClass === r);
      if (!stratum || stratum.populationDigest !== task.strata[r].populationDigest || stratum.size !== task.strata[r].size) {
        return differ(`任务 ${task.taskId} 的 ${r} 层名录与开启时不同（名录摘要不符）`);
      }
    }
  }
  if (populationCommitment(tasks) !== record.populationCommitment)
    return differ('名录承诺值不符：开启时公布的名录摘要与记录中的名录不一致');
  if (poolCommitment(record.pool) !== record.poolCommitment) return differ('执法人员库承诺值不符：记录中的执法人员库与开启时承诺的不同');
  if (rulesCommitment(record.rules) !== record.rulesCommitment)
    return differ('检查组规则承诺值不符：记录中的任务、事项或部门与开启时承诺的不同');
  if (openingCommitment(record) !== record.openingCommitment)
    return differ('开启承诺值不符：抽取编号、年度、发起部门、见证规则或各承诺值与开启时公布的不同');
  if (record.outcome === 'REVEALED') {
    const missing = missingWitnesses(record.witnessRule, record.leadDepartmentId, record.entropies);
    if (missing) return differ(`揭示时见证不足：${missing}`);
  }
  const selection = selectAll(seed, tasks);
  const again = drawTeams(seed, selection, record.rules, record.pool, record.revealedOn);
  for (const [i, task] of record.tasks.entries()) {
    for (const stratum of task.strata) {
      const rerun = selection.results[i].strata.find((s) => s.riskClass === stratum.riskClass)!;
      if (rerun.sampleSize !== stratum.sampleSize) {
        return differ(`任务 ${task.taskId} 的 ${stratum.riskClass} 层抽取数量：记录为 ${stratum.sampleSize}，重算为 ${rerun.sampleSize}`);
      }
      for (let r = 0; r < Math.max(stratum.rounds.length, rerun.rounds.length); r++) {
        const recorded = stratum.rounds[r] ?? [];
        const expected = rerun.rounds[r] ?? [];
        const at = Array.from({ length: Math.max(recorded.length, expected.length) }, (_, k) => k).findIndex(
          (k) => recorded[k] !== expected[k],
        );
        if (at >= 0) {
          return differ(
            `任务 ${task.taskId} 的 ${stratum.riskClass} 层第 ${r + 1} 轮第 ${at + 1} 个：记录为 ${recorded[at] ?? '（无）'}，重算为 ${expected[at] ?? '（无）'}`,
          );
        }
      }
      if (stratum.rotated.join(',') !== rerun.rotated.join(','))
        return differ(`任务 ${task.taskId} 的 ${stratum.riskClass} 层上一年已查企业的标记与重算不同`);
    }
  }
  if ('error' in record.teams || 'error' in again.teams) {
    const recorded = 'error' in record.teams ? record.teams.error : '（已抽派）';
    const rerun = 'error' in again.teams ? again.teams.error : '（可以抽派）';
    return recorded === rerun ? { ok: true } : differ(`抽派执法人员：记录为 ${recorded}，重算为 ${rerun}`);
  }
  if (canonical(record.teams.requests) !== canonical(again.teams.requests)) {
    const k = record.teams.requests.findIndex(
      (r, i) => canonical(r) !== canonical((again.teams as { requests: TeamRequest[] }).requests[i]),
    );
    return differ(`检查需求（第 ${k + 1} 户次 ${record.teams.requests[k]?.key ?? ''}）与由承诺的规则重算的不同`);
  }
  for (const [visit, recorded] of Object.entries(record.teams.result)) {
    const rerun = again.teams.result[visit] ?? [];
    if (rerun.join(',') !== recorded.join(',')) return differ(`检查组 ${visit}：记录为 ${recorded.join('、')}，重算为 ${rerun.join('、')}`);
  }
  if (canonical(record.teams.capBreaches) !== canonical(again.teams.capBreaches)) return differ('超出派员上限的记录与重算不同');
  const replay = replayAmendments(seed, record.teams, again.pools, record.amendments ?? []);
  return replay.ok ? { ok: true } : replay;
}

/** What is missing for the reveal under the plan's witness rule, or null. */
export function missingWitnesses(rule: WitnessRule, leadDepartmentId: number, entropies: { departmentId: number }[]): string | null {
  if (entropies.length < rule.required) return `本计划要求至少 ${rule.required} 名见证人加入随机串，现有 ${entropies.length} 名`;
  if (rule.otherDepartment && !entropies.some((e) => e.departmentId !== leadDepartmentId))
    return '本计划要求至少一名发起部门以外的见证人加入随机串';
  return null;
}

/** The public record (公示): no risk classes, no officer data beyond name and department. */
export interface PublicDrawRecord extends Opening {
  format: typeof PUBLIC_RECORD_FORMAT;
  status: 'COMMITTED' | 'REVEALED' | 'WITHDRAWN';
  withdrawal?: { at: string; reason: string };
  secret: string | null;
  entropies: { by: string; at: string; value: string }[];
  seed: string | null;
  tasks: {
    taskId: number;
    name: string;
    ratio: TaskParams['ratio'];
    riskStratified: boolean;
    rounds: number;
    /** 定向 (结果运用): drawn only from firms with a problem found in this year's visits; null otherwise. */
    problemYear: number | null;
    /** Per stratum (A–D in order, unnamed): size, digest and firms per round. */
    strata: { size: number; populationDigest: string; sampleSize: number | null }[];
    /** Selected firms, by USCC. */
    selected: { uscc: string; name: string }[];
  }[];
  /** Teams by visit, as 亮证执法 shows them. */
  teams: { visit: string; firm: string; officers: { name: string; department: string }[] }[];
}

/** What the public can check: the seed from the secret and strings, the commitment, the sample sizes against the stratum sizes. */
export function verifyPublicRecord(record: PublicDrawRecord): Verification {
  if (record.format !== PUBLIC_RECORD_FORMAT) return differ(`不是公开的抽取记录（format=${String(record.format)}）`);
  if (!record.secret || !record.seed) return differ('抽取尚未揭示或撤销，密钥未公布，只能核对承诺值');
  if (commitmentOf(record.secret) !== record.commitment) return differ('承诺值与公布的密钥不符');
  const seed = deriveSeed(
    record.secret,
    record.entropies.map((e) => e.value),
    record.drawId,
  );
  if (seed !== record.seed) return differ(`种子不符：重算为 ${seed}，公布为 ${record.seed}`);
  const strata = record.tasks.map((t) => ({
    taskId: t.taskId,
    strata: Object.fromEntries(
      RISK_CLASSES.map((r, k) => [r, { size: t.strata[k].size, populationDigest: t.strata[k].populationDigest }]),
    ) as Record<RiskClass, StratumSummary>,
  }));
  if (populationCommitment(strata) !== record.populationCommitment) return differ('名录承诺值与公布的各层规模和摘要不符');
  if (openingCommitment(record) !== record.openingCommitment) return differ('开启承诺值不符');
  for (const [i, task] of record.tasks.entries()) {
    const n = sampleSizes(task, Object.fromEntries(RISK_CLASSES.map((r) => [r, strata[i].strata[r].size])) as Record<RiskClass, number>);
    const expected = RISK_CLASSES.reduce((sum, r, k) => {
      if (task.strata[k].sampleSize !== n[r].n) return NaN;
      return sum + Math.min(n[r].n * Math.max(1, task.rounds), task.strata[k].size);
    }, 0);
    if (Number.isNaN(expected)) return differ(`任务 ${task.taskId} 的抽取数量与按比例和各层规模计算的不符`);
    if (new Set(task.selected.map((f) => f.uscc)).size !== expected) {
      return differ(`任务 ${task.taskId} 公布的抽中企业 ${task.selected.length} 户，按比例和各层规模应为 ${expected} 户`);
    }
  }
  return { ok: true };
}

/** A draw run end to end from plain inputs — opening, seed, selection, teams — as the server would record it (tests, test vectors). */
export function buildRecord(input: {
  drawId: string;
  year: number;
  leadDepartmentId: number;
  witnessRule: WitnessRule;
  secret: string;
  entropies: DrawRecord['entropies'];
  revealedOn: string;
  tasks: (TaskParams & { name: string; population: PopulationRow[] })[];
  rules: VisitRules;
  pool: CommittedOfficer[];
}): DrawRecord {
  const tasks = compactTasks(input);
  const commitments = {
    drawId: input.drawId,
    year: input.year,
    leadDepartmentId: input.leadDepartmentId,
    witnessRule: input.witnessRule,
    commitment: commitmentOf(input.secret),
    populationCommitment: populationCommitment(tasks),
    poolCommitment: poolCommitment(input.pool),
    rulesCommitment: rulesCommitment(input.rules),
  };
  const seed = deriveSeed(
    input.secret,
    input.entropies.map((e) => e.value),
    input.drawId,
  );
  const selection = selectAll(seed, tasks);
  const { teams } = drawTeams(seed, selection, input.rules, input.pool, input.revealedOn);
  return {
    format: RECORD_FORMAT,
    ...commitments,
    openingCommitment: openingCommitment(commitments),
    outcome: 'REVEALED',
    secret: input.secret,
    entropies: input.entropies,
    seed,
    revealedOn: input.revealedOn,
    tasks: input.tasks.map((t, i) => ({ ...t, population: decodePopulation(tasks[i].population), strata: selection.results[i].strata })),
    rules: input.rules,
    pool: input.pool,
    teams,
    amendments: [],
  };
}
