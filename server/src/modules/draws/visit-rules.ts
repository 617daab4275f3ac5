import { ConflictError } from '../../core/errors.js';
import { recordHash, TAGS } from './record-hash.js';
import type { PoolOfficer, TeamRequest } from './officer-assignment.js';
import type { TaskDrawResult } from './selection.js';

/**
 * What decides each visit's team requests (docs/draw-record.md §6), committed when a draw opens:
 * the departments (for 市抽县查, the county bureau of the firm's region) and each task's lead,
 * partners, modes and items with their departments and required specialties.
 */
export interface VisitRules {
  departments: { id: number; name: string; level: 'CITY' | 'COUNTY'; parentId: number | null; regionId: number }[];
  tasks: {
    taskId: number;
    leadDepartmentId: number;
    partnerDepartmentIds: number[];
    modes: string[];
    items: { id: number; departmentId: number; requiredSpecialty: string | null }[];
  }[];
}

/** An officer as committed at the opening: everything the team rules read. */
export interface CommittedOfficer {
  id: number;
  name: string;
  certificateNo: string;
  departmentId: number;
  status: string;
  /** YYYY-MM-DD, or null when the certificate does not expire. */
  certificateValidUntil: string | null;
  specialties: string[];
  /** USCCs of firms the officer declared a conflict with. */
  conflicts: string[];
  /** "USCC:itemId" the officer inspected last year. */
  inspectedLastYear: string[];
}

export const CITY_DRAWS_COUNTY_CHECKS = 'CITY_DRAWS_COUNTY_CHECKS';

/** H("inspection-hub/visit-rules", departments, tasks), each as a list in id order. */
export function rulesCommitment(rules: VisitRules): string {
  return recordHash(
    TAGS.rules,
    [...rules.departments].sort((a, b) => a.id - b.id).map((d) => [d.id, d.name, d.level, d.parentId ?? '', d.regionId]),
    [...rules.tasks]
      .sort((a, b) => a.taskId - b.taskId)
      .map((t) => [
        t.taskId,
        t.leadDepartmentId,
        [...t.partnerDepartmentIds].sort((a, b) => a - b),
        [...t.modes].sort(),
        [...t.items].sort((a, b) => a.id - b.id).map((i) => [i.id, i.departmentId, i.requiredSpecialty ?? '']),
      ]),
  );
}

/** H("inspection-hub/officer-pool", officers sorted by certificate number, each a list of its fields). */
export function poolCommitment(pool: CommittedOfficer[]): string {
  return recordHash(
    TAGS.pool,
    [...pool]
      .sort((a, b) => (a.certificateNo < b.certificateNo ? -1 : a.certificateNo > b.certificateNo ? 1 : 0))
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
  );
}

/** The pool the reveal draws from: active officers whose certificate is valid on the reveal's date, by department. */
export function eligiblePools(pool: CommittedOfficer[], revealedOn: string): Map<number, PoolOfficer[]> {
  const pools = new Map<number, PoolOfficer[]>();
  for (const o of pool) {
    if (o.status !== 'ACTIVE' || (o.certificateValidUntil !== null && o.certificateValidUntil < revealedOn)) continue;
    const { status: _status, certificateValidUntil: _until, ...officer } = o;
    pools.set(o.departmentId, [...(pools.get(o.departmentId) ?? []), officer]);
  }
  return pools;
}

/** One visit: a firm in one round, with every task (and item) of the draw that selected it. */
export interface Visit {
  /** "<round index from 0>:<USCC>". */
  key: string;
  uscc: string;
  /** Round, from 1. */
  round: number;
  /** The firm's smallest place in a round list of any task. */
  position: number;
  taskIds: number[];
  itemIds: number[];
}

/** The visits in the order they receive teams: by round, then place, then USCC. */
export function visitsOf(results: TaskDrawResult[], rules: VisitRules): Visit[] {
  const items = new Map(rules.tasks.map((t) => [t.taskId, t.items.map((i) => i.id)]));
  const visits = new Map<string, Visit>();
  for (const t of results) {
    for (const stratum of t.strata) {
      stratum.rounds.forEach((list, r) =>
        list.forEach((uscc, position) => {
          const key = `${r}:${uscc}`;
          const visit = visits.get(key) ?? { key, uscc, round: r + 1, position, taskIds: [], itemIds: [] };
          visit.position = Math.min(visit.position, position);
          if (!visit.taskIds.includes(t.taskId)) visit.taskIds.push(t.taskId);
          visits.set(key, visit);
        }),
      );
    }
  }
  return [...visits.values()]
    .map((v) => ({
      ...v,
      taskIds: v.taskIds.sort((a, b) => a - b),
      itemIds: [...new Set(v.taskIds.flatMap((t) => items.get(t) ?? []))].sort((a, b) => a - b),
    }))
    .sort((a, b) => a.round - b.round || a.position - b.position || (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
}

/**
 * Each visit's request: the lead of its first task, then every other department with items in
 * it (id order); under 市抽县查 a city department sends its county bureau of the firm's region;
 * each with the specialties its items need.
 */
export function teamRequests(
  visits: Visit[],
  rules: VisitRules,
  regionOf: (uscc: string) => number,
  labelOf = (uscc: string) => uscc,
): TeamRequest[] {
  const departments = new Map(rules.departments.map((d) => [d.id, d]));
  const tasks = new Map(rules.tasks.map((t) => [t.taskId, t]));
  const items = new Map(rules.tasks.flatMap((t) => t.items.map((i) => [i.id, i])));
  return visits.map((visit) => {
    const visitTasks = visit.taskIds.map((id) => tasks.get(id)!);
    const county = visitTasks.some((t) => t.modes.includes(CITY_DRAWS_COUNTY_CHECKS));
    const leadId = visitTasks[0].leadDepartmentId;
    const visitItems = visit.itemIds.map((id) => items.get(id)!);
    const others = [...new Set(visitItems.map((i) => i.departmentId).filter((d) => d !== leadId))].sort((a, b) => a - b);
    return {
      key: visit.key,
      firm: visit.uscc,
      itemIds: visit.itemIds,
      departments: [leadId, ...others].map((deptId) => {
        const dept = departments.get(deptId)!;
        const checking =
          county && dept.level === 'CITY'
            ? rules.departments.find((d) => d.parentId === dept.id && d.regionId === regionOf(visit.uscc))
            : dept;
        if (!checking) {
          throw new ConflictError(`“${labelOf(visit.uscc)}”：市抽县查需要${dept.name}在该企业所在区县的对应部门，但没有找到`, {
            rule: 'MODE',
          });
        }
        const specialties = [
          ...new Set(visitItems.filter((i) => i.departmentId === deptId && i.requiredSpecialty).map((i) => i.requiredSpecialty!)),
        ].sort();
        return { departmentId: checking.id, name: checking.name, specialties };
      }),
    };
  });
}
