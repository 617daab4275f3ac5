import crypto from 'node:crypto';
import { RiskClass } from '../registry/registry.enums.js';

/**
 * The draw (design §4): permanent random numbers, stratified by credit-risk class, coordinated
 * across the tasks of one draw. Pure functions of their inputs: the server, the offline
 * `verify-draw` command and the tests all run exactly this code.
 */

export const RISK_CLASSES: RiskClass[] = [RiskClass.A_LOW, RiskClass.B_GENERAL, RiskClass.C_ELEVATED, RiskClass.D_HIGH];

/**
 * Riskier classes get a higher ratio when a plan says only “递增” (increase by risk) and gives one
 * figure: that figure applies to A and rises for B, C, D (never above 100%). Stated per class in
 * the record, so a verifier sees exactly what was applied.
 */
export const DEFAULT_RISK_MULTIPLIERS: Record<RiskClass, number> = { A_LOW: 1, B_GENERAL: 1.5, C_ELEVATED: 2, D_HIGH: 3 };

export type RatioSpec =
  | { kind: 'PERCENT'; percent: number }
  | { kind: 'COUNT'; count: number }
  | { kind: 'PER_RISK_CLASS'; percents: Partial<Record<RiskClass, number>> };

export interface TaskDrawSpec {
  taskId: number;
  ratio: RatioSpec;
  /** Apply DEFAULT_RISK_MULTIPLIERS to a single percent. */
  riskStratified: boolean;
  /** Rounds in the year (抽查频次); each round draws the next firms in PRN order. */
  rounds: number;
  /**
   * The eligible population (scope applied, exclusions removed), each firm with its risk class
   * and whether last year's draws already inspected it for one of the task's items.
   */
  population: { uscc: string; riskClass: RiskClass; drawnLastYear?: boolean }[];
}

export interface StratumResult {
  riskClass: RiskClass;
  /** Eligible firms in the stratum. */
  size: number;
  /** Firms per round. */
  sampleSize: number;
  /** Percent applied (null for fixed counts). */
  percent: number | null;
  /** SHA-256 of the stratum's eligible USCCs, sorted, one per line. */
  populationDigest: string;
  /** Per round, the selected USCCs in PRN order. */
  rounds: string[][];
}

export interface TaskDrawResult {
  taskId: number;
  strata: StratumResult[];
}

/** u ∈ [0,1) from a digest: its first 52 bits, exact in a double. */
function unitOf(digest: Buffer): number {
  return (digest.readUInt32BE(0) * 2 ** 20 + (digest.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/** Lines of the population as digested: the USCC, marked when drawn last year. */
export function populationLine(firm: { uscc: string; drawnLastYear?: boolean }): string {
  return firm.drawnLastYear ? `${firm.uscc} *` : firm.uscc;
}

export function populationDigest(lines: string[]): string {
  return crypto
    .createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex');
}

/** Sample size per stratum: ceil(ratio × N); fixed counts split over strata by largest remainder. */
export function sampleSizes(
  spec: Pick<TaskDrawSpec, 'ratio' | 'riskStratified'>,
  sizes: Record<RiskClass, number>,
): Record<RiskClass, { n: number; percent: number | null }> {
  const out = {} as Record<RiskClass, { n: number; percent: number | null }>;
  const { ratio } = spec;
  if (ratio.kind === 'COUNT') {
    const total = RISK_CLASSES.reduce((s, r) => s + sizes[r], 0);
    const wanted = Math.min(ratio.count, total);
    const shares = RISK_CLASSES.map((r) => ({ r, exact: total ? (wanted * sizes[r]) / total : 0 }));
    for (const s of shares) out[s.r] = { n: Math.floor(s.exact), percent: null };
    let left = wanted - shares.reduce((sum, s) => sum + Math.floor(s.exact), 0);
    // Remainders go to the larger fractional parts; ties to the riskier class.
    for (const s of [...shares].sort(
      (a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || RISK_CLASSES.indexOf(b.r) - RISK_CLASSES.indexOf(a.r),
    )) {
      if (left <= 0) break;
      if (out[s.r].n < sizes[s.r]) {
        out[s.r].n++;
        left--;
      }
    }
    return out;
  }
  for (const r of RISK_CLASSES) {
    let percent: number;
    if (ratio.kind === 'PER_RISK_CLASS') percent = ratio.percents[r] ?? 0;
    else percent = Math.min(100, ratio.percent * (spec.riskStratified ? DEFAULT_RISK_MULTIPLIERS[r] : 1));
    // Integer arithmetic on hundredths of a percent: 10% of 30 is exactly 3, not 3.0000000004.
    const n = Math.ceil((Math.round(percent * 100) * sizes[r]) / 10000);
    out[r] = { n: Math.min(n, sizes[r]), percent };
  }
  return out;
}

/** What a draw commits to per stratum when it opens: how many firms, and the digest of their list. */
export interface StratumSummary {
  size: number;
  populationDigest: string;
}

type Firm = TaskDrawSpec['population'][number];

function byClass(population: TaskDrawSpec['population']): Record<RiskClass, Firm[]> {
  const out = Object.fromEntries(RISK_CLASSES.map((r) => [r, [] as Firm[]])) as Record<RiskClass, Firm[]>;
  for (const firm of population) out[firm.riskClass].push(firm);
  return out;
}

export function stratumSummaries(population: TaskDrawSpec['population']): Record<RiskClass, StratumSummary> {
  const classes = byClass(population);
  return Object.fromEntries(
    RISK_CLASSES.map((r) => [r, { size: classes[r].length, populationDigest: populationDigest(classes[r].map(populationLine)) }]),
  ) as Record<RiskClass, StratumSummary>;
}

/**
 * u ∈ [0,1) per firm for one draw: the first 52 bits of SHA-256(seed ‖ uscc), exact in a double.
 * Each firm is hashed once however many of the draw's tasks include it, one-shot over a reused
 * buffer, since a reveal over a large registry hashes a few hundred thousand firms.
 */
export function drawRandom(seedHex: string): (uscc: string) => number {
  const u = new Map<string, number>();
  const seed = Buffer.from(seedHex, 'hex');
  let input = Buffer.alloc(seed.length + 32);
  seed.copy(input);
  return (uscc) => {
    let value = u.get(uscc);
    if (value === undefined) {
      const length = seed.length + Buffer.byteLength(uscc);
      if (length > input.length) {
        input = Buffer.alloc(length * 2);
        seed.copy(input);
      }
      input.write(uscc, seed.length);
      value = unitOf(crypto.hash('sha256', input.subarray(0, length), 'buffer'));
      u.set(uscc, value);
    }
    return value;
  };
}

/**
 * One task's selection: per stratum, n from the ratio and the stratum's size, then the firms with
 * the smallest u, round after round. Yearly rotation: firms that last year's draws already
 * inspected for the task's items come after all others (their u is shifted past 1), so the burden
 * moves on to firms not visited last year. The summaries are those committed at the opening.
 */
export function selectTask(
  task: TaskDrawSpec,
  summaries: Record<RiskClass, StratumSummary>,
  prn: (uscc: string) => number,
): TaskDrawResult {
  const classes = byClass(task.population);
  const n = sampleSizes(task, Object.fromEntries(RISK_CLASSES.map((r) => [r, summaries[r].size])) as Record<RiskClass, number>);
  return {
    taskId: task.taskId,
    strata: RISK_CLASSES.map((riskClass): StratumResult => {
      // Each firm's key computed once, then sorted; ties (equal u) cannot happen in practice, and
      // USCC order settles them deterministically anyway.
      const keyed = classes[riskClass].map((f) => ({ uscc: f.uscc, key: (f.drawnLastYear ? 1 : 0) + prn(f.uscc) }));
      const ordered = keyed.sort((a, b) => a.key - b.key || (a.uscc < b.uscc ? -1 : 1)).map((f) => f.uscc);
      const size = n[riskClass].n;
      const rounds = Array.from({ length: Math.max(1, task.rounds) }, (_, r) => {
        const start = Math.min(r * size, ordered.length);
        return ordered.slice(start, Math.min(start + size, ordered.length));
      });
      return {
        riskClass,
        size: summaries[riskClass].size,
        sampleSize: size,
        percent: n[riskClass].percent,
        populationDigest: summaries[riskClass].populationDigest,
        rounds,
      };
    }),
  };
}

/**
 * Selects, per task, stratum and round, the firms with the smallest u. Tasks sharing firms draw
 * the same firms, so one visit serves many tasks.
 */
export function drawTasks(seedHex: string, tasks: TaskDrawSpec[]): TaskDrawResult[] {
  const prn = drawRandom(seedHex);
  return tasks.map((task) => selectTask(task, stratumSummaries(task.population), prn));
}

/** Visits: one per distinct (firm, round) across the draw's tasks. */
export function countVisits(results: TaskDrawResult[]): number {
  const visits = new Set<string>();
  for (const t of results) for (const s of t.strata) s.rounds.forEach((round, r) => round.forEach((uscc) => visits.add(`${r}:${uscc}`)));
  return visits.size;
}

/**
 * Expected visits had each task drawn independently: Σ over firms and rounds of
 * 1 − Π(1 − π_t), with π_t = n/N of the firm's stratum in task t. Known once the populations are.
 */
export function expectedIndependentVisits(tasks: TaskDrawSpec[]): number {
  const miss = new Map<string, number>();
  for (const task of tasks) {
    const sizes = Object.fromEntries(RISK_CLASSES.map((r) => [r, 0])) as Record<RiskClass, number>;
    for (const f of task.population) sizes[f.riskClass]++;
    const n = sampleSizes(task, sizes);
    for (let r = 0; r < Math.max(1, task.rounds); r++) {
      for (const f of task.population) {
        const key = `${r}:${f.uscc}`;
        const pi = sizes[f.riskClass] ? n[f.riskClass].n / sizes[f.riskClass] : 0;
        miss.set(key, (miss.get(key) ?? 1) * (1 - pi));
      }
    }
  }
  let visits = 0;
  for (const m of miss.values()) visits += 1 - m;
  return visits;
}

/**
 * The seed revealed after the ceremony: SHA-256(secret ‖ entropy_1 ‖ … ‖ drawId), each part
 * length-prefixed (4 bytes, big-endian) so that no two different inputs join to the same bytes.
 */
export function deriveSeed(secretHex: string, entropies: string[], drawId: string): string {
  const hash = crypto.createHash('sha256');
  for (const part of [Buffer.from(secretHex, 'hex'), ...entropies.map((e) => Buffer.from(e, 'utf8')), Buffer.from(drawId, 'utf8')]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    hash.update(length).update(part);
  }
  return hash.digest('hex');
}

export function commitmentOf(secretHex: string): string {
  return crypto.createHash('sha256').update(Buffer.from(secretHex, 'hex')).digest('hex');
}
