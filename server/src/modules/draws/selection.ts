import crypto from 'node:crypto';
import { RiskClass } from '../registry/registry.enums.js';
import { encodeList, FirmRandom, recordHash, TAGS } from './record-hash.js';

/**
 * The firm selection of draw-record@2 (design §4, docs/draw-record.md §4–5): a per-draw random
 * number per firm, strata by credit-risk class, coordination across the draw's tasks. Pure
 * functions of their inputs: the server, `verify-draw` and the tests run exactly this code.
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

export type Verification = { ok: true } | { ok: false; difference: string };

/** A task's draw parameters, as committed at the opening. */
export interface TaskParams {
  taskId: number;
  ratio: RatioSpec;
  /** Apply DEFAULT_RISK_MULTIPLIERS to a single percent. */
  riskStratified: boolean;
  /** Rounds in the year (抽查频次); each round takes the next firms in order. */
  rounds: number;
  /** 定向 (结果运用): the population is the firms with a problem found in this year's visits; absent otherwise. */
  problemYear?: number;
}

/** A firm as a record lists it: USCC, risk class, 1 when last year's draws inspected it for the task's items, region id. */
export type PopulationRow = [uscc: string, riskClass: RiskClass, lastYear: 0 | 1, regionId: number];

/** What a draw commits to per stratum when it opens: how many firms, and the digest of their list. */
export interface StratumSummary {
  size: number;
  populationDigest: string;
}

export interface StratumResult extends StratumSummary {
  riskClass: RiskClass;
  /** Firms per round. */
  sampleSize: number;
  /** Percent applied (null for fixed counts). */
  percent: number | null;
  /** Per round, the selected USCCs in order. */
  rounds: string[][];
  /** Selected firms that last year's draws had inspected for the task's items (taken only after all others). */
  rotated: string[];
}

export interface TaskDrawResult {
  taskId: number;
  strata: StratumResult[];
}

/**
 * A population in its compact form, as kept from the opening to the reveal: fixed 24-byte rows
 * sorted by USCC — 18 bytes USCC (ASCII), 1 byte risk class (0–3 for A–D), 1 byte last-year flag,
 * 4 bytes region id (big-endian). A 3,600,000-firm registry's populations are read back and
 * walked without building an object per firm.
 */
export const ROW_BYTES = 24;
const USCC_BYTES = 18;

export function encodePopulation(rows: PopulationRow[]): Buffer {
  const sorted = [...rows].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out = Buffer.alloc(sorted.length * ROW_BYTES);
  sorted.forEach(([uscc, riskClass, lastYear, regionId], i) => {
    const at = i * ROW_BYTES;
    if (out.write(uscc, at, USCC_BYTES, 'latin1') !== USCC_BYTES || !/^[0-9A-Z]{18}$/.test(uscc)) {
      throw new Error(`统一社会信用代码应为 18 位数字或大写字母：${uscc}`);
    }
    out[at + 18] = RISK_CLASSES.indexOf(riskClass);
    out[at + 19] = lastYear;
    out.writeUInt32BE(regionId, at + 20);
  });
  return out;
}

export function decodePopulation(bytes: Buffer): PopulationRow[] {
  const rows: PopulationRow[] = [];
  for (let at = 0; at < bytes.length; at += ROW_BYTES) {
    rows.push([
      bytes.toString('latin1', at, at + USCC_BYTES),
      RISK_CLASSES[bytes[at + 18]],
      bytes[at + 19] as 0 | 1,
      bytes.readUInt32BE(at + 20),
    ]);
  }
  return rows;
}

/**
 * Per stratum: H("inspection-hub/stratum", [firm, …]) over the stratum's firms sorted by USCC,
 * each firm the list [USCC, last-year flag "0"/"1", region id]. Built as one buffer per stratum.
 */
export function stratumSummaries(population: Buffer): Record<RiskClass, StratumSummary> {
  const parts: Buffer[][] = RISK_CLASSES.map(() => []);
  for (let at = 0; at < population.length; at += ROW_BYTES) {
    parts[population[at + 18]].push(
      encodeList([population.subarray(at, at + USCC_BYTES), population[at + 19] ? '1' : '0', population.readUInt32BE(at + 20)]),
    );
  }
  return Object.fromEntries(
    RISK_CLASSES.map((r, k) => [r, { size: parts[k].length, populationDigest: stratumDigest(parts[k]) }]),
  ) as Record<RiskClass, StratumSummary>;
}

/** The digest of a stratum from its firms' encoded parts (sorted by USCC). */
function stratumDigest(firms: Buffer[]): string {
  const list = Buffer.concat(firms.flatMap((f) => [lengthOf(f), f]));
  return crypto
    .createHash('sha256')
    .update(lengthOf(Buffer.from(TAGS.stratum)))
    .update(TAGS.stratum)
    .update(lengthOf(list))
    .update(list)
    .digest('hex');
}

function lengthOf(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return length;
}

/** H("inspection-hub/populations", [[task id, risk class, size, digest], …]) over tasks in id order, classes A–D. */
export function populationCommitment(tasks: { taskId: number; strata: Record<RiskClass, StratumSummary> }[]): string {
  return recordHash(
    TAGS.populations,
    tasks.flatMap((t) => RISK_CLASSES.map((r) => [t.taskId, r, t.strata[r].size, t.strata[r].populationDigest])),
  );
}

/** Sample size per stratum: ceil(ratio × N); fixed counts split over strata by largest remainder. */
export function sampleSizes(
  spec: Pick<TaskParams, 'ratio' | 'riskStratified'>,
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

/**
 * One task's selection: per stratum, n from the ratio and the committed size; the firms ordered by
 * key = u (+1 when last year's draws inspected the firm for the task's items, so those come after
 * all others), ties by USCC; round r takes the firms at places r·n … r·n + n − 1. Only the first
 * rounds·n places are needed, so only they are sorted.
 */
export function selectTask(
  task: TaskParams,
  population: Buffer,
  committed: Record<RiskClass, StratumSummary>,
  prn: FirmRandom,
  regions?: Map<string, number>,
): TaskDrawResult {
  const n = sampleSizes(task, Object.fromEntries(RISK_CLASSES.map((r) => [r, committed[r].size])) as Record<RiskClass, number>);
  const count = population.length / ROW_BYTES;
  const keys = new Float64Array(count);
  const sizes = [0, 0, 0, 0];
  for (let i = 0, at = 0; i < count; i++, at += ROW_BYTES) {
    keys[i] = population[at + 19] + prn.ofBytes(population, at, USCC_BYTES);
    sizes[population[at + 18]]++;
  }
  // Row indices per stratum, in USCC order (the rows are sorted).
  const members = sizes.map((n) => new Int32Array(n));
  const filled = [0, 0, 0, 0];
  for (let i = 0, at = 18; i < count; i++, at += ROW_BYTES) members[population[at]][filled[population[at]]++] = i;
  const usccOf = (i: number) => population.toString('latin1', i * ROW_BYTES, i * ROW_BYTES + USCC_BYTES);
  const rounds = Math.max(1, task.rounds);
  return {
    taskId: task.taskId,
    strata: RISK_CLASSES.map((riskClass, k): StratumResult => {
      const size = n[riskClass].n;
      const wanted = Math.min(size * rounds, members[k].length);
      const taken = smallest(members[k], keys, wanted);
      const order = taken.map(usccOf);
      if (regions) taken.forEach((i, j) => regions.set(order[j], population.readUInt32BE(i * ROW_BYTES + 20)));
      return {
        riskClass,
        size: committed[riskClass].size,
        sampleSize: size,
        percent: n[riskClass].percent,
        populationDigest: committed[riskClass].populationDigest,
        rounds: Array.from({ length: rounds }, (_, r) =>
          order.slice(Math.min(r * size, order.length), Math.min(r * size + size, order.length)),
        ),
        rotated: taken.filter((i) => population[i * ROW_BYTES + 19] === 1).map(usccOf),
      };
    }),
  };
}

/**
 * The `wanted` members with the smallest keys, in key order (ties by row, i.e. by USCC): a
 * quickselect for the bound, then a sort of only those under it.
 */
function smallest(members: Int32Array, keys: Float64Array, wanted: number): number[] {
  if (wanted <= 0) return [];
  let bound = Infinity;
  if (wanted < members.length) {
    const values = new Float64Array(members.length);
    for (let j = 0; j < members.length; j++) values[j] = keys[members[j]];
    bound = nth(values, wanted - 1);
  }
  const taken: number[] = [];
  for (let j = 0; j < members.length; j++) if (keys[members[j]] <= bound) taken.push(members[j]);
  return taken.sort((a, b) => keys[a] - keys[b] || a - b).slice(0, wanted);
}

/** The k-th smallest value (0-based), reordering `values` in place (Hoare's quickselect). */
function nth(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Selects every task of a draw with the draw's numbers: tasks sharing firms draw the same firms. */
export function drawTasks(
  seedHex: string,
  tasks: (TaskParams & { population: Buffer; strata: Record<RiskClass, StratumSummary> })[],
  regions?: Map<string, number>,
): TaskDrawResult[] {
  const prn = new FirmRandom(seedHex);
  return tasks.map((task) => selectTask(task, task.population, task.strata, prn, regions));
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
export function expectedIndependentVisits(
  tasks: (TaskParams & { population: Buffer; strata: Record<RiskClass, StratumSummary> })[],
): number {
  const miss = new Map<string, number[]>();
  for (const task of tasks) {
    const sizes = Object.fromEntries(RISK_CLASSES.map((r) => [r, task.strata[r].size])) as Record<RiskClass, number>;
    const n = sampleSizes(task, sizes);
    const rounds = Math.max(1, task.rounds);
    const { population } = task;
    for (let at = 0; at < population.length; at += ROW_BYTES) {
      const r = RISK_CLASSES[population[at + 18]];
      const pi = sizes[r] ? n[r].n / sizes[r] : 0;
      const key = population.toString('latin1', at, at + USCC_BYTES);
      const firm = miss.get(key) ?? new Array<number>(rounds).fill(1);
      while (firm.length < rounds) firm.push(1);
      for (let round = 0; round < rounds; round++) firm[round] *= 1 - pi;
      miss.set(key, firm);
    }
  }
  let visits = 0;
  for (const firm of miss.values()) for (const m of firm) visits += 1 - m;
  return visits;
}
