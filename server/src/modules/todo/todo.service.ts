import type { EntityManager } from '@mikro-orm/postgresql';
import { chinaDate } from '../../core/dates.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { PUBLICATION_WORKING_DAYS } from '../publication/deadlines.service.js';
import { addWorkingDays } from '../publication/working-days.js';

export enum TodoKind {
  VISIT = 'VISIT',
  RETURNED = 'RETURNED',
  SUBMIT = 'SUBMIT',
  FINALISE = 'FINALISE',
  REFERRAL_TO_ACCEPT = 'REFERRAL_TO_ACCEPT',
  REFERRAL_TO_CLOSE = 'REFERRAL_TO_CLOSE',
  CORRECTION = 'CORRECTION',
  RECTIFICATION = 'RECTIFICATION',
  PUBLICATION = 'PUBLICATION',
}

export interface Todo {
  kind: TodoKind;
  /** What it is about (a firm, a referral). */
  title: string;
  /** What is to be done, in a phrase. */
  detail: string;
  /** The day it is due, where there is one (China date). */
  dueOn: string | null;
  /** The client page where it is done. */
  path: string;
}

type Row = { id: number; title: string; due_on: string | null; extra: string | null };

/**
 * 待办: what waits for this user now, by the same rules that let them act on it — an officer's
 * open visits and those returned to the team; the lead department's visits to submit and (HEAD)
 * to finalise and results to publish; referrals received to accept and close; (HEAD) corrections
 * to decide; 责令改正 to check. Most urgent first (due day, then kind).
 */
export async function todosOf(em: EntityManager, viewer: Viewer): Promise<Todo[]> {
  const db = em.getConnection();
  const run = (sql: string, params: unknown[]) => db.execute<Row[]>(sql, params, 'all', em.getTransactionContext());
  const todos: Todo[] = [];
  const add = (kind: TodoKind, rows: Row[], detail: (row: Row) => string, path: (row: Row) => string) =>
    todos.push(...rows.map((row) => ({ kind, title: row.title, detail: detail(row), dueOn: row.due_on, path: path(row) })));
  const visit = (row: Row) => `/inspections/${row.id}`;
  const department = viewer.departmentId;

  if (hasRole(viewer, Role.OFFICER) && viewer.officerId !== null) {
    const rows = await run(
      `select i.id, e.name as title, to_char(i.scheduled_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as due_on,
              case when i.return_comment is not null and i.status = 'IN_PROGRESS' then i.return_comment end as extra
         from inspection i join inspection_officer io on io.inspection_id = i.id and io.officer_id = ?
         join enterprise e on e.id = i.enterprise_id
        where i.status in ('ASSIGNED', 'IN_PROGRESS')`,
      [viewer.officerId],
    );
    add(
      TodoKind.RETURNED,
      rows.filter((r) => r.extra),
      (r) => `负责人退回修改：${r.extra}`,
      visit,
    );
    add(
      TodoKind.VISIT,
      rows.filter((r) => !r.extra),
      (r) => (r.due_on ? `约定 ${r.due_on} 上门检查` : '待预约、上门检查'),
      visit,
    );
  }
  if (hasRole(viewer, Role.STAFF) || hasRole(viewer, Role.HEAD)) {
    add(
      TodoKind.SUBMIT,
      await run(
        `select i.id, e.name as title, null as due_on, null as extra
           from inspection i join enterprise e on e.id = i.enterprise_id
          where i.lead_department_id = ? and i.status = 'IN_PROGRESS'
            and not exists (select 1 from inspection_check_item ii where ii.inspection_id = i.id
                             and not exists (select 1 from finding f where f.inspection_id = i.id and f.item_id = ii.check_item_id))`,
        [department],
      ),
      () => '各项结果已录入，待提交',
      visit,
    );
    add(
      TodoKind.REFERRAL_TO_ACCEPT,
      await run(
        `select r.id, e.name as title, r.due_on::text as due_on, d.short_name as extra
           from referral r join finding f on f.id = r.finding_id join inspection i on i.id = f.inspection_id
           join enterprise e on e.id = i.enterprise_id join department d on d.id = r.from_department_id
          where r.to_department_id = ? and r.status = 'OPEN'`,
        [department],
      ),
      (r) => `${r.extra}移送的问题线索，待接收`,
      () => '/referrals',
    );
    add(
      TodoKind.REFERRAL_TO_CLOSE,
      await run(
        `select r.id, e.name as title, r.due_on::text as due_on, null as extra
           from referral r join finding f on f.id = r.finding_id join inspection i on i.id = f.inspection_id
           join enterprise e on e.id = i.enterprise_id
          where r.to_department_id = ? and r.status = 'ACCEPTED'`,
        [department],
      ),
      () => '已接收的移送，待办结',
      () => '/referrals',
    );
    add(
      TodoKind.RECTIFICATION,
      await run(
        `select f.inspection_id as id, e.name as title, f.follow_up_deadline::text as due_on, null as extra
           from finding f join inspection i on i.id = f.inspection_id join enterprise e on e.id = i.enterprise_id
          where f.department_id = ? and f.follow_up = 'ORDER_CORRECTION' and not f.follow_up_done
            and f.follow_up_deadline <= ?`,
        [department, chinaDate()],
      ),
      () => '责令改正期限已到，待复查',
      () => '/referrals',
    );
    const unpublished = await run(
      `select i.id, e.name as title, i.completed_on::text as due_on, null as extra
         from inspection i join enterprise e on e.id = i.enterprise_id
        where i.lead_department_id = ? and i.status = 'FINALISED'
          and not exists (select 1 from publication p where p.inspection_id = i.id)`,
      [department],
    );
    add(
      TodoKind.PUBLICATION,
      unpublished.map((r) => ({ ...r, due_on: addWorkingDays(r.due_on!, PUBLICATION_WORKING_DAYS).due })),
      () => '检查已办结，待公示结果',
      () => '/publication',
    );
  }
  if (hasRole(viewer, Role.HEAD)) {
    add(
      TodoKind.FINALISE,
      await run(
        `select i.id, e.name as title, null as due_on, null as extra
           from inspection i join enterprise e on e.id = i.enterprise_id
          where i.lead_department_id = ? and i.status = 'SUBMITTED'`,
        [department],
      ),
      () => '检查组已提交，待办结或退回',
      visit,
    );
    add(
      TodoKind.CORRECTION,
      await run(
        `select c.id, e.name as title, null as due_on, null as extra
           from correction c join publication p on p.id = c.publication_id join inspection i on i.id = p.inspection_id
           join enterprise e on e.id = i.enterprise_id
          where c.department_id = ? and c.status = 'PENDING'`,
        [department],
      ),
      () => '公示结果的更正申请，待审核',
      () => '/publication',
    );
  }
  return todos.sort((a, b) => (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999'));
}
