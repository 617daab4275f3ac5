// Deadlines of 一公开: 20 working days on the Chinese calendar; the due-soon and overdue lists.
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertInScope, isStaffOf, type Viewer } from '../../core/viewer.js';
import { checkPageSize } from '../../core/paging.js';
import { chinaDate } from '../../core/dates.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { addWorkingDays, type Deadline, latestStartWithDeadlineBefore, workingDaysBetween } from './working-days.js';

/** 20 working days from completion to publication (国办发〔2019〕5号 and the plans that follow it). */
export const PUBLICATION_WORKING_DAYS = 20;
/** “Due soon”: five working days or fewer left. */
export const DUE_SOON_WORKING_DAYS = 5;

export function publicationDeadline(completedOn: string): Deadline {
  return addWorkingDays(completedOn, PUBLICATION_WORKING_DAYS);
}

export enum DueState {
  ALL = 'ALL',
  DUE_SOON = 'DUE_SOON',
  OVERDUE = 'OVERDUE',
}

export interface DueEntry {
  inspection: Inspection;
  completedOn: string;
  dueOn: string;
  provisional: boolean;
  overdue: boolean;
  /** Working days left until the deadline (0 on the last day); for overdue ones, how many have passed. */
  workingDays: number;
  /** Not overdue, and DUE_SOON_WORKING_DAYS or fewer working days left. */
  dueSoon: boolean;
}

export interface DueList {
  /** Whether the viewer may publish these (the department's STAFF or HEAD). */
  viewerCanPublish: boolean;
  totalCount: number;
  overdueCount: number;
  dueSoonCount: number;
  nodes: DueEntry[];
}

/**
 * Finalised inspections the department still has to publish, most urgent first. The deadline
 * depends only on the completion day and grows with it, so "overdue" and "due soon" are ranges
 * of completion days: the database filters and counts them on an index.
 */
export async function publicationDue(
  em: EntityManager,
  viewer: Viewer,
  departmentId: number | null,
  state: DueState,
  first: number,
): Promise<DueList> {
  const department = departmentId ?? viewer.departmentId;
  assertInScope(viewer, [department], '只能查看本部门的待公示清单');
  checkPageSize(first);
  const today = chinaDate();
  const overdueUpTo = latestStartWithDeadlineBefore(today, PUBLICATION_WORKING_DAYS);
  const soonLimit = addWorkingDays(today, DUE_SOON_WORKING_DAYS + 1).due;
  const soonUpTo = latestStartWithDeadlineBefore(soonLimit, PUBLICATION_WORKING_DAYS);
  const conn = em.getConnection();
  const base = `from inspection i where i.status = 'FINALISED' and i.lead_department_id = ?
                  and not exists (select 1 from publication p where p.inspection_id = i.id)`;
  const [counts] = await conn.execute<{ total: number; overdue: number; soon: number }[]>(
    `select count(*)::int as total,
            count(*) filter (where i.completed_on <= ?)::int as overdue,
            count(*) filter (where i.completed_on > ? and i.completed_on <= ?)::int as soon
       ${base}`,
    [overdueUpTo, overdueUpTo, soonUpTo, department],
  );
  const range =
    state === DueState.OVERDUE
      ? ' and i.completed_on <= ?'
      : state === DueState.DUE_SOON
        ? ' and i.completed_on > ? and i.completed_on <= ?'
        : '';
  const rangeParams = state === DueState.OVERDUE ? [overdueUpTo] : state === DueState.DUE_SOON ? [overdueUpTo, soonUpTo] : [];
  const rows = await conn.execute<{ id: number }[]>(`select i.id ${base}${range} order by i.completed_on, i.id limit ?`, [
    department,
    ...rangeParams,
    first,
  ]);
  const byId = new Map((await em.find(Inspection, { id: { $in: rows.map((r) => r.id) } })).map((i) => [i.id, i]));
  const nodes = rows.map(({ id }) => {
    const inspection = byId.get(id)!;
    const completedOn = inspection.completedOn!;
    const { due, provisional } = publicationDeadline(completedOn);
    const overdue = due < today;
    const workingDays = overdue ? workingDaysBetween(due, today) : workingDaysBetween(today, due);
    return {
      inspection,
      completedOn,
      dueOn: due,
      provisional,
      overdue,
      workingDays,
      dueSoon: !overdue && workingDays <= DUE_SOON_WORKING_DAYS,
    };
  });
  return {
    viewerCanPublish: isStaffOf(viewer, department),
    totalCount: counts.total,
    overdueCount: counts.overdue,
    dueSoonCount: counts.soon,
    nodes,
  };
}
