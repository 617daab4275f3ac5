/**
 * `npm run hub -- gen-activity`: a province-sized year of work for the reporting benchmark — the
 * registry topped up to ENTERPRISES firms (the registry import, COPY), then per department a
 * simulated plan of joint tasks, one revealed draw per task, and the visits with their items,
 * teams, findings, referrals and publications written by COPY. Deterministic (seeded). The
 * statistics rollup is then brought up to date by the same stat_fold() the server uses, and timed.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fsp from 'node:fs/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Prng } from '../core/prng.js';
import { pgArray } from '../core/sql.js';
import { ImportMode } from '../modules/imports/import-report.js';
import { runImport } from '../modules/imports/table-import.js';
import { enterpriseImport } from '../modules/registry/import/enterprise-import.js';
import { writeSyntheticEnterprises } from './registry-commands.js';

export interface ActivityOptions {
  enterprises: number;
  visits: number;
  year: number;
  /** Only these departments lead simulated tasks (default: every department). */
  departments?: number[];
  tasksPerDepartment?: number;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

export interface ActivityReport {
  enterprises: number;
  visits: number;
  findings: number;
  referrals: number;
  publications: number;
  generateMs: number;
  foldMs: number;
}

const TASKS_PER_DEPARTMENT = 4;
const ITEMS_PER_DEPARTMENT = 3;
const RESULTS = ['NO_PROBLEM', 'PROBLEM_PENDING', 'PROBLEM_CORRECTED', 'ACTIVITY_NOT_FOUND', 'CLOSED_OR_LIQUIDATING', 'NON_COOPERATION'];

/** Streams rows (arrays of text or null) into `COPY table (columns) FROM STDIN`. */
async function copyRows(
  db: pg.Client,
  table: string,
  columns: string[],
  rows: Iterable<(string | number | boolean | null)[]>,
): Promise<number> {
  const stream = db.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    chunk += row.map((v) => (v === null ? '\\N' : String(v))).join('\t') + '\n';
    count++;
    if (chunk.length > 1 << 16) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
  return count;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => isoDate(new Date(Date.parse(day) + n * 86_400_000));

/** The registry, topped up to `target` firms through the real import (COPY). */
async function ensureEnterprises(url: string, db: pg.Client, target: number, log: (line: string) => void): Promise<number> {
  const existing = Number((await db.query<{ count: string }>('select count(*) from enterprise')).rows[0].count);
  if (existing >= target) return existing;
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-activity-'));
  try {
    const file = path.join(dir, 'registry.csv');
    log(`生成 ${target - existing} 户模拟监管对象…`);
    await writeSyntheticEnterprises(target - existing, file, 'activity', existing);
    log('导入名录库（COPY）…');
    const result = await runImport(url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false });
    if (!result.committed) throw new Error('名录库导入失败');
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
  return target;
}

export async function generateActivity(url: string, options: ActivityOptions): Promise<ActivityReport> {
  const log = options.log ?? ((line: string) => console.error(line));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const enterprises = await ensureEnterprises(url, db, options.enterprises, log);
    const started = Date.now();
    const rng = new Prng(`activity-${options.year}`);
    const { year } = options;
    await db.query('begin');

    // Per department: three simulated items, a plan, four joint tasks (city bureaus partner each other; a county bureau its city counterpart).
    const departments = (await db.query<{ id: number; parent_id: number | null }>('select id, parent_id from department order by id')).rows;
    const industries = (await db.query<{ id: number }>('select id from industry order by id')).rows.map((r) => r.id);
    const officers = new Map<number, number[]>();
    for (const o of (
      await db.query<{ id: number; department_id: number }>(`select id, department_id from officer where status = 'ACTIVE' order by id`)
    ).rows) {
      officers.set(o.department_id, [...(officers.get(o.department_id) ?? []), o.id]);
    }
    const recorder = (await db.query<{ id: number }>('select min(id) as id from app_user')).rows[0].id;
    const itemsOf = new Map<number, number[]>();
    const cityIds = departments.filter((d) => d.parent_id === null).map((d) => d.id);
    interface SimTask {
      id: number;
      lead: number;
      partners: number[];
      items: number[];
      industries: number[];
    }
    const tasks: SimTask[] = [];
    const leading = options.departments ?? departments.map((d) => d.id);
    for (const d of departments) {
      const items = await db.query<{ id: number }>(
        `insert into check_item (code, department_id, year, category, item, kind, method)
         select 'SIM-' || $1::int || '-' || k, $1::int, $2::int, '模拟事项', '模拟检查事项 ' || k, 'GENERAL', 'ON_SITE' from generate_series(1, $3) k
         on conflict (department_id, year, code) do update set item = excluded.item returning id`,
        [d.id, year, ITEMS_PER_DEPARTMENT],
      );
      itemsOf.set(
        d.id,
        items.rows.map((r) => r.id),
      );
      // Every department has items (a partner brings its own); only the leading ones get a plan.
      if (!leading.includes(d.id)) continue;
      const plan = await db.query<{ id: number }>(
        `insert into plan (department_id, year, name, status, approved_at) values ($1, $2, $3, 'APPROVED', now())
         on conflict (department_id, year, name) do update set status = 'APPROVED' returning id`,
        [d.id, year, `（模拟）${year} 年度抽查计划`],
      );
      for (let k = 1; k <= (options.tasksPerDepartment ?? TASKS_PER_DEPARTMENT); k++) {
        const partners = d.parent_id === null ? cityIds.filter((c) => c !== d.id && rng.next() < 0.4).slice(0, 2) : [d.parent_id];
        const taskIndustries = [industries[(d.id * 4 + k) % industries.length], industries[(d.id * 4 + k + 7) % industries.length]];
        const task = await db.query<{ id: number }>(
          `insert into task (plan_id, seq, name, ratio_kind, ratio_percent, ratio_text, lead_department_id, modes, draw_type, joint)
           values ($1, $2, $3, 'PERCENT', 5, '5%', $4, '{CITY_DRAWS_CITY_CHECKS}', 'UNDIRECTED', $5)
           on conflict (plan_id, seq) do update set name = excluded.name returning id`,
          [plan.rows[0].id, 100 + k, `（模拟）部门 ${d.id} 抽查任务 ${k}`, d.id, partners.length > 0],
        );
        const id = task.rows[0].id;
        await db.query('delete from task_check_item where task_id = $1', [id]);
        await db.query('insert into task_check_item (task_id, check_item_id) select $1, unnest($2::int[])', [
          id,
          pgArray(itemsOf.get(d.id)!),
        ]);
        await db.query('delete from task_partner_department where task_id = $1', [id]);
        await db.query('insert into task_partner_department (task_id, department_id) select $1, unnest($2::int[])', [
          id,
          pgArray(partners),
        ]);
        await db.query('delete from task_scope_industry where task_id = $1', [id]);
        await db.query('insert into task_scope_industry (task_id, industry_id) select $1, unnest($2::int[])', [
          id,
          pgArray(taskIndustries),
        ]);
        tasks.push({ id, lead: d.id, partners, items: itemsOf.get(d.id)!, industries: taskIndustries });
      }
    }

    // One revealed draw per task, its population counted from the registry by the firms' industries.
    const draws = new Map<number, string>();
    for (const t of tasks) {
      const id = crypto.randomUUID();
      draws.set(t.id, id);
      const departmentIds = [t.lead, ...t.partners];
      await db.query(
        `insert into draw (id, year, lead_department_id, department_ids, status, commitment, population_commitment, secret, opened_by_id, opened_at, revealed_at, seed)
         values ($1, $2, $3, $4, 'REVEALED', 'simulated', 'simulated', 'simulated', $5, now(), now(), 'simulated')`,
        [id, year, t.lead, pgArray(departmentIds), recorder],
      );
      await db.query('insert into draw_task (draw_id, task_id) values ($1, $2)', [id, t.id]);
      await db.query(
        `insert into stat_population (draw_id, task_id, year, department_ids, region_id, risk_class, firms)
         select $1, $2, $3, $4, region_id, risk_class, count(*) from enterprise where industry_ids && $5::int[] group by region_id, risk_class`,
        [id, t.id, year, pgArray(departmentIds), pgArray(t.industries)],
      );
    }
    log(`模拟计划：${departments.length} 个部门，${tasks.length} 个任务`);

    // The visits: a firm per visit (distinct within a draw), 80 % finalised, the rest under way.
    const firms = (await db.query<{ ids: number[] }>('select array_agg(id order by id) as ids from enterprise')).rows[0].ids;
    const [{ next: firstVisit }] = (await db.query<{ next: number }>('select coalesce(max(id), 0) + 1 as next from inspection')).rows;
    const [{ next: firstFinding }] = (await db.query<{ next: number }>('select coalesce(max(id), 0) + 1 as next from finding')).rows;
    interface SimVisit {
      id: number;
      task: SimTask;
      enterprise: number;
      status: string;
      completedOn: string | null;
      position: number;
    }
    const visits: SimVisit[] = [];
    const perTask = Math.ceil(options.visits / tasks.length);
    if (perTask > firms.length) throw new Error(`每个任务 ${perTask} 户次，超过名录的 ${firms.length} 户`);
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    for (const [n, t] of tasks.entries()) {
      // A stride prime to the registry's size: the firms of one draw are distinct.
      let stride = 7919 + n * 2;
      while (gcd(stride, firms.length) !== 1) stride++;
      for (let k = 0; k < perTask && visits.length < options.visits; k++) {
        const roll = rng.next();
        const status = roll < 0.8 ? 'FINALISED' : roll < 0.88 ? 'SUBMITTED' : roll < 0.95 ? 'IN_PROGRESS' : 'ASSIGNED';
        const completedOn = status === 'FINALISED' ? addDays(`${year}-03-01`, rng.int(270)) : null;
        visits.push({
          id: firstVisit + visits.length,
          task: t,
          enterprise: firms[(n * 104_729 + k * stride) % firms.length],
          status,
          completedOn,
          position: k + 1,
        });
      }
    }
    const departmentsOf = (t: SimTask) => [t.lead, ...t.partners];
    const itemsOfVisit = (t: SimTask) => [...t.items, ...t.partners.flatMap((p) => itemsOf.get(p)!.slice(0, 2))];
    await copyRows(
      db,
      'inspection',
      [
        'id',
        'draw_id',
        'enterprise_id',
        'year',
        'round',
        'position',
        'lead_department_id',
        'status',
        'department_ids',
        'started_at',
        'submitted_at',
        'finalised_at',
        'completed_on',
      ],
      visits.map((v) => [
        v.id,
        draws.get(v.task.id)!,
        v.enterprise,
        year,
        1,
        v.position,
        v.task.lead,
        v.status,
        pgArray(departmentsOf(v.task)),
        v.status === 'ASSIGNED' ? null : `${v.completedOn ?? `${year}-11-20`} 09:00:00+08`,
        v.status === 'FINALISED' || v.status === 'SUBMITTED' ? `${v.completedOn ?? `${year}-11-25`} 16:00:00+08` : null,
        v.completedOn ? `${v.completedOn} 17:00:00+08` : null,
        v.completedOn,
      ]),
    );
    await copyRows(
      db,
      'inspection_task',
      ['inspection_id', 'task_id'],
      visits.map((v) => [v.id, v.task.id]),
    );
    await copyRows(
      db,
      'inspection_check_item',
      ['inspection_id', 'check_item_id'],
      (function* () {
        for (const v of visits) for (const item of itemsOfVisit(v.task)) yield [v.id, item];
      })(),
    );
    await copyRows(
      db,
      'inspection_officer',
      ['inspection_id', 'officer_id'],
      (function* () {
        for (const v of visits) {
          for (const d of departmentsOf(v.task)) {
            const pool = officers.get(d) ?? [];
            if (pool.length) yield [v.id, pool[(v.id + d) % pool.length]];
          }
        }
      })(),
    );
    log(`检查 ${visits.length} 户次已写入`);

    // Findings: every item of a finalised or submitted visit, half of one under way.
    interface SimFinding {
      id: number;
      visit: SimVisit;
      item: number;
      department: number;
      results: string[];
      followUp: string;
    }
    const findings: SimFinding[] = [];
    for (const v of visits) {
      if (v.status === 'ASSIGNED') continue;
      const all = v.status !== 'IN_PROGRESS';
      for (const [i, item] of itemsOfVisit(v.task).entries()) {
        if (!all && i % 2 === 1) continue;
        const roll = rng.next();
        const result =
          roll < 0.86 ? 'NO_PROBLEM' : roll < 0.93 ? 'PROBLEM_PENDING' : roll < 0.97 ? 'PROBLEM_CORRECTED' : RESULTS[3 + rng.int(3)];
        const department = i < v.task.items.length ? v.task.lead : v.task.partners[Math.floor((i - v.task.items.length) / 2)];
        const followUp =
          result === 'PROBLEM_CORRECTED'
            ? 'ORDER_CORRECTION'
            : result === 'PROBLEM_PENDING'
              ? rng.next() < 0.5
                ? 'NOTIFY_DEPARTMENT'
                : 'ORDER_CORRECTION'
              : 'NONE';
        findings.push({ id: firstFinding + findings.length, visit: v, item, department, results: [result], followUp });
      }
    }
    await copyRows(
      db,
      'finding',
      [
        'id',
        'inspection_id',
        'item_id',
        'department_id',
        'results',
        'problem_kinds',
        'follow_up',
        'follow_up_deadline',
        'follow_up_done',
        'follow_up_done_on',
        'method',
        'officer_id',
        'recorded_by_id',
        'recorded_at',
      ],
      findings.map((f) => {
        const deadline = f.followUp === 'ORDER_CORRECTION' ? addDays(f.visit.completedOn ?? `${year}-11-20`, 30) : null;
        const done = deadline !== null && f.id % 10 < 7;
        const pool = officers.get(f.department) ?? officers.get(f.visit.task.lead)!;
        return [
          f.id,
          f.visit.id,
          f.item,
          f.department,
          pgArray(f.results),
          f.results[0] === 'PROBLEM_PENDING' ? '{VIOLATES_OWN_RULES}' : '{}',
          f.followUp,
          deadline,
          done,
          done ? addDays(deadline, -5) : null,
          'ON_SITE',
          pool[(f.visit.id + f.department) % pool.length],
          recorder,
          `${f.visit.completedOn ?? `${year}-11-20`} 10:00:00+08`,
        ];
      }),
    );
    const referred = findings.filter((f) => f.followUp === 'NOTIFY_DEPARTMENT');
    await copyRows(
      db,
      'referral',
      [
        'finding_id',
        'from_department_id',
        'to_department_id',
        'kind',
        'description',
        'due_on',
        'status',
        'created_by_id',
        'created_at',
        'accepted_at',
        'closed_at',
      ],
      referred.map((f, i) => {
        const status = i % 3 === 0 ? 'OPEN' : i % 3 === 1 ? 'ACCEPTED' : 'CLOSED';
        const at = `${f.visit.completedOn ?? `${year}-11-20`} 12:00:00+08`;
        return [
          f.id,
          f.department,
          cityIds[(f.department + 1) % cityIds.length],
          'NOTIFY',
          '模拟移送',
          addDays(f.visit.completedOn ?? `${year}-11-20`, 20),
          status,
          recorder,
          at,
          status === 'OPEN' ? null : at,
          status === 'CLOSED' ? at : null,
        ];
      }),
    );
    log(`检查结果 ${findings.length} 条，移送 ${referred.length} 条已写入`);

    // Publications of nine in ten finalised visits, mostly within the 20 working days (28 calendar days here).
    const published = await db.query(
      `insert into publication (inspection_id, lead_department_id, department_ids, task_ids, enterprise_name, uscc, completed_on, due_on, due_provisional,
                                published_on, published_at, published_by_id, status, current_version)
       select i.id, i.lead_department_id, i.department_ids, array[it.task_id], e.name, e.uscc, i.completed_on, i.completed_on + 28, false,
              i.completed_on + (i.id % 34), (i.completed_on + (i.id % 34))::timestamp, $2, 'PUBLISHED', 1
         from inspection i join inspection_task it on it.inspection_id = i.id join enterprise e on e.id = i.enterprise_id
        where i.id >= $1 and i.status = 'FINALISED' and i.id % 10 <> 0`,
      [firstVisit, recorder],
    );
    await db.query(`select setval('inspection_id_seq', (select max(id) from inspection))`);
    await db.query(`select setval('finding_id_seq', (select max(id) from finding))`);
    await db.query('commit');
    const generateMs = Date.now() - started;
    log(`公示 ${published.rowCount} 条；生成用时 ${(generateMs / 1000).toFixed(1)} s。更新统计汇总（stat_fold）…`);
    const foldStart = Date.now();
    await db.query('select stat_fold()');
    const foldMs = Date.now() - foldStart;
    await db.query('analyze');
    return {
      enterprises,
      visits: visits.length,
      findings: findings.length,
      referrals: referred.length,
      publications: published.rowCount ?? 0,
      generateMs,
      foldMs,
    };
  } catch (error) {
    await db.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}
