import { Migration } from '@mikro-orm/migrations';

/** Numeric measures of a statistics fact row (docs/statistics.md): summed into the cells. */
const MEASURES = [
  'visits',
  'firms_drawn',
  'joint',
  'items',
  'findings',
  'r_no_problem',
  'r_problem_pending',
  'r_problem_corrected',
  'r_activity_not_found',
  'r_closed_or_liquidating',
  'r_non_cooperation',
  'problem',
  'visit_problem',
  'finalised',
  'corrections',
  'corrections_done',
  'referrals',
  'referrals_accepted',
  'referrals_closed',
  'published',
  'published_on_time',
  'team',
];
/** What a cell is keyed by: every dimension a statistic groups or filters by. */
const CELL_KEY = [
  'year',
  'month',
  'department_id',
  'primary_row',
  'region_id',
  'industry_id',
  'risk_class',
  'visit_department_ids',
  'task_ids',
];

/** The summary's key: one dimension (TOTAL, TASK, INDUSTRY, REGION, MONTH, RISK_CLASS) and its value, per department and reader scope. */
const SUMMARY_KEY = ['year', 'dim', 'value', 'department_id', 'primary_row', 'visit_department_ids'];
/** How each summary dimension's value is read from a fact row (alias s). */
const SUMMARY_DIMS: Record<string, string> = {
  TOTAL: `''`,
  TASK: 't.task_id::text',
  INDUSTRY: 's.industry_id::text',
  REGION: 's.region_id::text',
  MONTH: `to_char(s.month, 'YYYY-MM')`,
  RISK_CLASS: 's.risk_class',
};

/** Tables whose rows change a visit's statistics, and how a changed row names its visit. */
const WATCHED: { table: string; visit: (rows: string) => string }[] = [
  { table: 'inspection', visit: (rows) => `select id from ${rows}` },
  { table: 'inspection_check_item', visit: (rows) => `select inspection_id from ${rows}` },
  { table: 'inspection_task', visit: (rows) => `select inspection_id from ${rows}` },
  { table: 'inspection_officer', visit: (rows) => `select inspection_id from ${rows}` },
  { table: 'finding', visit: (rows) => `select inspection_id from ${rows}` },
  { table: 'publication', visit: (rows) => `select inspection_id from ${rows}` },
  { table: 'referral', visit: (rows) => `select f.inspection_id from ${rows} r join finding f on f.id = r.finding_id` },
];

/**
 * Statistics (modules/reporting, docs/statistics.md). A statement that changes a visit marks it
 * in `stat_dirty` (statement triggers, one insert per statement); `stat_fold()` recomputes the
 * marked visits' fact rows — one per (visit, department with items in it) — and moves the
 * difference into `stat_cell` (every dimension: any filter) and `stat_summary` (one dimension at a
 * time: the dashboard's tables), the rollups the queries read. Readers fold before they read, so a
 * figure is never staler than the last committed change. `stat_population` keeps each draw's
 * committed population counted by task, region and risk class. `api_token`: read-only reporting
 * tokens of a department.
 */
export class Migration20261202160000 extends Migration {
  override name = 'Migration20261202160000';

  override up(): void | Promise<void> {
    const measureCols = MEASURES.map((m) => `"${m}" int not null`).join(', ');
    this.addSql(`create table "stat_dirty" ("inspection_id" int primary key);`);
    this.addSql(`create table "stat_fact" (
      "inspection_id" int not null, "department_id" int not null, "primary_row" boolean not null,
      "year" int not null, "month" date not null, "region_id" int not null, "industry_id" int not null, "risk_class" text not null,
      "visit_department_ids" int[] not null, "task_ids" int[] not null, ${measureCols},
      primary key ("inspection_id", "department_id"));`);
    this.addSql(`create table "stat_cell" (
      "year" int not null, "month" date not null, "department_id" int not null, "primary_row" boolean not null,
      "region_id" int not null, "industry_id" int not null, "risk_class" text not null,
      "visit_department_ids" int[] not null, "task_ids" int[] not null, ${measureCols});`);
    this.addSql(`create unique index "stat_cell_key" on "stat_cell" (${CELL_KEY.map((k) => `"${k}"`).join(', ')});`);
    this.addSql(`create index "stat_cell_departments" on "stat_cell" using gin ("visit_department_ids");`);
    // The dashboard's tables (one dimension, the year and the reader's scope): a few thousand rows whatever the year's size.
    this.addSql(`create table "stat_summary" (
      "year" int not null, "dim" text not null, "value" text not null, "department_id" int not null, "primary_row" boolean not null,
      "visit_department_ids" int[] not null, ${measureCols});`);
    this.addSql(`create unique index "stat_summary_key" on "stat_summary" (${SUMMARY_KEY.map((k) => `"${k}"`).join(', ')});`);
    // Open 责令改正 and referrals with their fact row's dimensions, and how many of them were overdue on
    // `stat_overdue_day` (kept by difference in the fold, rebuilt by the first reader of a new day).
    this.addSql(`create table "stat_open_due" (
      "inspection_id" int not null, "department_id" int not null,
      "kind" text not null check ("kind" in ('CORRECTION', 'REFERRAL')), "due_on" date not null,
      "year" int not null, "month" date not null, "region_id" int not null, "industry_id" int not null, "risk_class" text not null,
      "visit_department_ids" int[] not null, "task_ids" int[] not null);`);
    this.addSql(`create table "stat_overdue" (
      "year" int not null, "dim" text not null, "value" text not null, "department_id" int not null,
      "visit_department_ids" int[] not null, "kind" text not null, "n" int not null);`);
    this.addSql(
      `create unique index "stat_overdue_key" on "stat_overdue" ("year", "dim", "value", "department_id", "visit_department_ids", "kind");`,
    );
    this.addSql(`create table "stat_overdue_day" ("as_of" date not null);`);
    this.addSql(`create index "stat_open_due_inspection" on "stat_open_due" ("inspection_id");`);
    this.addSql(`create table "stat_population" (
      "draw_id" uuid not null references "draw" ("id") on delete cascade, "task_id" int not null,
      "year" int not null, "department_ids" int[] not null, "region_id" int not null, "risk_class" text not null, "firms" int not null);`);
    this.addSql(`create index "stat_population_year" on "stat_population" ("year");`);

    // Mark the visits a statement touched.
    this.addSql(`create function stat_mark() returns trigger language plpgsql as $$ begin return null; end $$;`);
    for (const { table, visit } of WATCHED) {
      for (const [event, rows] of [
        ['insert', 'new_rows'],
        ['update', 'new_rows'],
        ['delete', 'old_rows'],
      ] as const) {
        const fn = `stat_mark_${table}_${event}`;
        this.addSql(`create function ${fn}() returns trigger language plpgsql as $$
          begin
            insert into stat_dirty (inspection_id) select distinct v from (${visit(rows)}) m(v) where v is not null on conflict do nothing;
            return null;
          end $$;`);
        this
          .addSql(`create trigger ${fn} after ${event} on "${table}" referencing ${rows.startsWith('new') ? 'new' : 'old'} table as ${rows}
          for each statement execute function ${fn}();`);
      }
    }
    this.addSql(`drop function stat_mark();`);

    const cellUpsert = (sign: string) => `insert into stat_cell (${CELL_KEY.join(', ')}, ${MEASURES.join(', ')})
        select ${CELL_KEY.join(', ')}, ${MEASURES.map((m) => `${sign}sum(${m})`).join(', ')}
          from stat_fact s join stat_fold_ids x on x.id = s.inspection_id group by ${CELL_KEY.join(', ')}
        on conflict (${CELL_KEY.join(', ')}) do update set ${MEASURES.map((m) => `${m} = stat_cell.${m} + excluded.${m}`).join(', ')};`;
    const summaryUpsert = (sign: string) => `insert into stat_summary (${SUMMARY_KEY.join(', ')}, ${MEASURES.join(', ')})
        ${Object.entries(SUMMARY_DIMS)
          .map(
            ([
              dim,
              value,
            ]) => `select s.year, '${dim}', ${value}, s.department_id, s.primary_row, s.visit_department_ids, ${MEASURES.map((m) => `${sign}sum(s.${m})`).join(', ')}
          from stat_fact s join stat_fold_ids x on x.id = s.inspection_id ${dim === 'TASK' ? 'cross join lateral unnest(s.task_ids) t(task_id)' : ''}
         group by 1, 2, 3, 4, 5, 6`,
          )
          .join(' union all ')}
        on conflict (${SUMMARY_KEY.join(', ')}) do update set ${MEASURES.map((m) => `${m} = stat_summary.${m} + excluded.${m}`).join(', ')};`;
    const overdueUpsert = (
      sign: string,
      onlyFolded: boolean,
      asOf: string,
    ) => `insert into stat_overdue (year, dim, value, department_id, visit_department_ids, kind, n)
        ${Object.entries(SUMMARY_DIMS)
          .map(
            ([dim, value]) => `select s.year, '${dim}', ${value}, s.department_id, s.visit_department_ids, s.kind, ${sign}count(*)
          from stat_open_due s ${onlyFolded ? 'join stat_fold_ids x on x.id = s.inspection_id' : ''}
          ${dim === 'TASK' ? 'cross join lateral unnest(s.task_ids) t(task_id)' : ''}
         where s.due_on < ${asOf} group by 1, 2, 3, 4, 5, 6`,
          )
          .join(' union all ')}
        on conflict (year, dim, value, department_id, visit_department_ids, kind) do update set n = stat_overdue.n + excluded.n;`;
    const resultCount = (category: string) => `count(*) filter (where '${category}' = any(f.results))::int`;
    this.addSql(`create function stat_fold() returns int language plpgsql as $$
      declare folded int; overdue_on date;
      begin
        if not exists (select 1 from stat_dirty) then return 0; end if;
        -- One fold at a time: the cells are updated by difference.
        perform pg_advisory_xact_lock(72620001);
        select as_of into overdue_on from stat_overdue_day;
        create temp table if not exists stat_fold_ids (id int primary key) on commit drop;
        truncate stat_fold_ids;
        with taken as (delete from stat_dirty returning inspection_id) insert into stat_fold_ids select inspection_id from taken;
        get diagnostics folded = row_count;
        if folded = 0 then return 0; end if;
        analyze stat_fold_ids;
        ${cellUpsert('-')}
        ${summaryUpsert('-')}
        delete from stat_fact s using stat_fold_ids x where s.inspection_id = x.id;
        if overdue_on is not null then ${overdueUpsert('-', true, 'overdue_on')} end if;
        delete from stat_open_due s using stat_fold_ids x where s.inspection_id = x.id;
        insert into stat_fact (inspection_id, department_id, primary_row, year, month, region_id, industry_id, risk_class,
                               visit_department_ids, task_ids, ${MEASURES.join(', ')})
        with items as (
               select ic.inspection_id, c.department_id, count(*)::int as items
                 from stat_fold_ids x join inspection_check_item ic on ic.inspection_id = x.id join check_item c on c.id = ic.check_item_id
                group by 1, 2),
             visit as (select inspection_id, array_agg(department_id order by department_id) as departments from items group by 1),
             found as (
               select f.inspection_id, f.department_id, count(*)::int as findings,
                      ${resultCount('NO_PROBLEM')} as r_no_problem, ${resultCount('PROBLEM_PENDING')} as r_problem_pending,
                      ${resultCount('PROBLEM_CORRECTED')} as r_problem_corrected, ${resultCount('ACTIVITY_NOT_FOUND')} as r_activity_not_found,
                      ${resultCount('CLOSED_OR_LIQUIDATING')} as r_closed_or_liquidating, ${resultCount('NON_COOPERATION')} as r_non_cooperation,
                      bool_or(f.results && array['PROBLEM_PENDING', 'PROBLEM_CORRECTED']) as problem,
                      count(*) filter (where f.follow_up = 'ORDER_CORRECTION')::int as corrections,
                      count(*) filter (where f.follow_up = 'ORDER_CORRECTION' and f.follow_up_done)::int as corrections_done
                 from stat_fold_ids x join finding f on f.inspection_id = x.id group by 1, 2),
             referred as (
               select f.inspection_id, f.department_id, count(*)::int as referrals,
                      count(*) filter (where r.status in ('ACCEPTED', 'CLOSED'))::int as accepted,
                      count(*) filter (where r.status = 'CLOSED')::int as closed
                 from stat_fold_ids x join finding f on f.inspection_id = x.id join referral r on r.finding_id = f.id group by 1, 2),
             team as (
               select io.inspection_id, o.department_id, count(*)::int as team
                 from stat_fold_ids x join inspection_officer io on io.inspection_id = x.id join officer o on o.id = io.officer_id group by 1, 2),
             tasks as (
               select it.inspection_id, array_agg(it.task_id order by it.task_id) as task_ids
                 from stat_fold_ids x join inspection_task it on it.inspection_id = x.id group by 1)
        select d.inspection_id, d.department_id,
               -- The row that counts the visit once: the lead department's, or the first department with items.
               d.department_id = case when i.lead_department_id = any(v.departments) then i.lead_department_id else v.departments[1] end,
               i.year,
               date_trunc('month', coalesce(i.completed_on, (i.started_at at time zone 'Asia/Shanghai')::date,
                                            (dr.revealed_at at time zone 'Asia/Shanghai')::date, make_date(i.year, 1, 1)))::date,
               e.region_id, coalesce(e.industry_ids[1], 0), e.risk_class, v.departments, coalesce(t.task_ids, '{}'),
               1, (i.round = 1)::int, (cardinality(v.departments) > 1)::int, d.items, coalesce(f.findings, 0),
               coalesce(f.r_no_problem, 0), coalesce(f.r_problem_pending, 0), coalesce(f.r_problem_corrected, 0),
               coalesce(f.r_activity_not_found, 0), coalesce(f.r_closed_or_liquidating, 0), coalesce(f.r_non_cooperation, 0),
               coalesce(f.problem, false)::int,
               coalesce(bool_or(f.problem) over (partition by d.inspection_id), false)::int,
               (i.status = 'FINALISED')::int,
               coalesce(f.corrections, 0), coalesce(f.corrections_done, 0),
               coalesce(r.referrals, 0), coalesce(r.accepted, 0), coalesce(r.closed, 0),
               (p.published_on is not null)::int, coalesce(p.published_on <= p.due_on, false)::int,
               coalesce(tm.team, 0)
          from items d
          join visit v on v.inspection_id = d.inspection_id
          join inspection i on i.id = d.inspection_id
          join draw dr on dr.id = i.draw_id
          join enterprise e on e.id = i.enterprise_id
          left join tasks t on t.inspection_id = d.inspection_id
          left join found f on f.inspection_id = d.inspection_id and f.department_id = d.department_id
          left join referred r on r.inspection_id = d.inspection_id and r.department_id = d.department_id
          left join team tm on tm.inspection_id = d.inspection_id and tm.department_id = d.department_id
          left join publication p on p.inspection_id = d.inspection_id;
        insert into stat_open_due (inspection_id, department_id, kind, due_on, year, month, region_id, industry_id, risk_class, visit_department_ids, task_ids)
          select d.inspection_id, d.department_id, d.kind, d.due_on, s.year, s.month, s.region_id, s.industry_id, s.risk_class, s.visit_department_ids, s.task_ids
            from (select f.inspection_id, f.department_id, 'CORRECTION' as kind, f.follow_up_deadline as due_on
                    from stat_fold_ids x join finding f on f.inspection_id = x.id
                   where f.follow_up = 'ORDER_CORRECTION' and not f.follow_up_done and f.follow_up_deadline is not null
                  union all
                  select f.inspection_id, f.department_id, 'REFERRAL', r.due_on
                    from stat_fold_ids x join finding f on f.inspection_id = x.id join referral r on r.finding_id = f.id
                   where r.status <> 'CLOSED') d
            join stat_fact s on s.inspection_id = d.inspection_id and s.department_id = d.department_id;
        if overdue_on is not null then ${overdueUpsert('', true, 'overdue_on')} end if;
        delete from stat_overdue where n = 0;
        ${cellUpsert('')}
        ${summaryUpsert('')}
        delete from stat_cell where visits = 0;
        delete from stat_summary where visits = 0;
        return folded;
      end $$;`);

    // The first reader of a day counts what is overdue that day; later changes move it by difference (stat_fold).
    this.addSql(`create function stat_overdue_refresh(today date) returns void language plpgsql as $$
      begin
        if exists (select 1 from stat_overdue_day where as_of = today) then return; end if;
        perform pg_advisory_xact_lock(72620001);
        if exists (select 1 from stat_overdue_day where as_of = today) then return; end if;
        delete from stat_overdue;
        ${overdueUpsert('', false, 'today')}
        delete from stat_overdue_day;
        insert into stat_overdue_day (as_of) values (today);
      end $$;`);

    // Draws opened before this migration: their populations counted from the committed rows
    // (24 bytes a firm: USCC, risk class index at 18, region id big-endian at 20).
    this.addSql(`insert into stat_population (draw_id, task_id, year, department_ids, region_id, risk_class, firms)
      select p.draw_id, p.task_id, d.year, d.department_ids,
             (get_byte(p.rows, k * 24 + 20) << 24) | (get_byte(p.rows, k * 24 + 21) << 16) | (get_byte(p.rows, k * 24 + 22) << 8) | get_byte(p.rows, k * 24 + 23),
             (array['A_LOW', 'B_GENERAL', 'C_ELEVATED', 'D_HIGH'])[get_byte(p.rows, k * 24 + 18) + 1], count(*)
        from draw_population p join draw d on d.id = p.draw_id, generate_series(0, length(p.rows) / 24 - 1) k
       group by 1, 2, 3, 4, 5, 6;`);
    this.addSql(`insert into stat_dirty (inspection_id) select id from inspection;`);

    this.addSql(`create table "api_token" (
      "id" serial primary key,
      "department_id" int not null references "department" ("id") on update cascade,
      "name" varchar(64) not null,
      "token_hash" character(64) not null unique,
      "created_by_id" int not null references "app_user" ("id") on update cascade,
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "revoked_at" timestamptz null,
      "revoked_by_id" int null references "app_user" ("id") on update cascade,
      "last_used_at" timestamptz null,
      "uses" int not null default 0);`);
    this.addSql(`create index "api_token_department" on "api_token" ("department_id");`);

    // OVERSIGHT: the 双随机 office's read-only statistics role.
    this.addSql(`alter table "app_user" drop constraint "app_user_roles_check";`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_roles_check" check ("roles" <@ array['ADMIN'::text, 'SECURITY_ADMIN'::text, 'AUDITOR'::text, 'STAFF'::text, 'HEAD'::text, 'OFFICER'::text, 'WITNESS'::text, 'OVERSIGHT'::text]);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "app_user" drop constraint "app_user_roles_check";`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_roles_check" check ("roles" <@ array['ADMIN'::text, 'SECURITY_ADMIN'::text, 'AUDITOR'::text, 'STAFF'::text, 'HEAD'::text, 'OFFICER'::text, 'WITNESS'::text]);`,
    );
    this.addSql(`drop table if exists "api_token";`);
    for (const { table } of WATCHED)
      for (const event of ['insert', 'update', 'delete']) {
        this.addSql(`drop trigger if exists stat_mark_${table}_${event} on "${table}";`);
        this.addSql(`drop function if exists stat_mark_${table}_${event}();`);
      }
    this.addSql(`drop function if exists stat_fold();`);
    this.addSql(`drop function if exists stat_overdue_refresh(date);`);
    for (const t of [
      'stat_population',
      'stat_overdue_day',
      'stat_overdue',
      'stat_open_due',
      'stat_summary',
      'stat_cell',
      'stat_fact',
      'stat_dirty',
    ])
      this.addSql(`drop table if exists "${t}";`);
  }
}
