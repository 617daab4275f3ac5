import { ConflictError } from '../../core/errors.js';

/** An officer the draw may send (eligibility is decided before: active, certificate valid). */
export interface PoolOfficer {
  id: number;
  name: string;
  certificateNo: string;
  departmentId: number;
  specialties: string[];
  /** Firms (USCC) the officer declared a conflict with. */
  conflicts: string[];
  /** "USCC:itemId" the officer inspected last year (recusal). */
  inspectedLastYear: string[];
}

export interface TeamRequest {
  /** The visit: "<round index from 0>:<USCC>". */
  key: string;
  /** The firm (USCC) the visit goes to. */
  firm: string;
  itemIds: number[];
  /** Lead first; each with the specialties its items need. */
  departments: { departmentId: number; name: string; specialties: string[] }[];
}

/** An officer sent although at the load cap, and why (docs/draw-record.md §6). */
export interface CapBreach {
  visit: string;
  certificateNo: string;
  departmentId: number;
  /** The officer's visits in this draw with this one. */
  load: number;
  cap: number;
  /** ALL_AT_CAP: every usable officer of the department was at the cap; SPECIALTY: those under it lack a needed specialty. */
  reason: 'ALL_AT_CAP' | 'SPECIALTY';
}

/** Minimum team (design §3: 至少 2 名执法人员). */
export const MIN_TEAM = 2;

export interface TeamRules {
  /** The department's whole pool in the seeded order in which a visit considers it (draw-record.md §6). */
  order: (visitKey: string, departmentId: number) => PoolOfficer[];
  /** How messages name a firm (its name and USCC on the server; the USCC in a verifier). */
  labelOf?: (firm: string) => string;
}

/** Team places each department must fill: one per visit it takes part in, two where it is alone. */
export function loadCaps(requests: TeamRequest[], pools: Map<number, PoolOfficer[]>): Map<number, number> {
  const demand = new Map<number, number>();
  for (const r of requests) {
    r.departments.forEach((d, i) =>
      demand.set(d.departmentId, (demand.get(d.departmentId) ?? 0) + (i === 0 && r.departments.length < MIN_TEAM ? MIN_TEAM : 1)),
    );
  }
  return new Map([...demand].map(([dept, n]) => [dept, Math.ceil(n / Math.max(1, pools.get(dept)?.length ?? 0)) + 1]));
}

/** Conflicts and last year's visits as sets, built once per officer object (a reveal asks millions of times). */
const recusals = new WeakMap<PoolOfficer, { firms: Set<string>; lastYear: Set<string> }>();

function recused(o: PoolOfficer, request: TeamRequest): boolean {
  let sets = recusals.get(o);
  if (!sets) {
    const lastYear = new Set(o.inspectedLastYear);
    const firms = new Set([...o.conflicts, ...o.inspectedLastYear.map((v) => v.slice(0, v.lastIndexOf(':')))]);
    recusals.set(o, (sets = { firms, lastYear }));
  }
  if (!sets.firms.has(request.firm)) return false;
  return o.conflicts.includes(request.firm) || request.itemIds.some((item) => sets.lastYear.has(`${request.firm}:${item}`));
}

/** Candidates in the order they are taken: under the cap in seeded order, then the others by load (seeded order among equals). */
function ordered(seeded: PoolOfficer[], load: Map<number, number>, cap: number): PoolOfficer[] {
  const under: PoolOfficer[] = [];
  const over: PoolOfficer[] = [];
  for (const o of seeded) ((load.get(o.id) ?? 0) < cap ? under : over).push(o);
  if (over.length) over.sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0));
  return under.concat(over);
}

/**
 * Draws a team per visit, in the order given: one officer of the lead department and of each
 * partner department with items in the visit, specialists where an item needs one, at least two
 * in all (a short team is filled from the lead department, no specialty required); nobody
 * recused (declared conflict, or the same firm and item last year); no officer over
 * ⌈the department's places ÷ its pool⌉ + 1 where the pool allows, a breach recorded otherwise.
 * Throws, naming the visit and the rule, when the rules cannot be met.
 */
export function assignTeams(
  requests: TeamRequest[],
  pools: Map<number, PoolOfficer[]>,
  departmentNames: Map<number, string>,
  rules: TeamRules,
): { teams: Map<string, PoolOfficer[]>; breaches: CapBreach[]; caps: Map<number, number> } {
  const caps = loadCaps(requests, pools);
  const load = new Map<number, number>();
  const teams = new Map<string, PoolOfficer[]>();
  const breaches: CapBreach[] = [];
  const labelOf = rules.labelOf ?? ((firm: string) => firm);

  for (const request of requests) {
    const label = labelOf(request.firm);
    const team: PoolOfficer[] = [];
    const fail = (rule: string, message: string) => new ConflictError(`“${label}”：${message}`, { rule, visit: label });
    const candidates = (deptId: number) => {
      const name = departmentNames.get(deptId) ?? deptId;
      const pool = pools.get(deptId) ?? [];
      if (pool.length === 0) throw fail('CERTIFIED_ACTIVE', `${name}没有在岗且执法证有效的执法人员`);
      const others = rules.order(request.key, deptId).filter((o) => !team.includes(o));
      if (others.length === 0) throw fail('TEAM_SIZE', `${name}可派执法人员不足，检查组至少需要 ${MIN_TEAM} 名`);
      const usable = others.filter((o) => !recused(o, request));
      if (usable.length === 0) throw fail('RECUSAL', `${name}的执法人员均需回避（声明的利害关系，或上一年检查过该企业的同一事项）`);
      return ordered(usable, load, caps.get(deptId)!);
    };
    const take = (o: PoolOfficer, reasonIfOver: CapBreach['reason']) => {
      const cap = caps.get(o.departmentId)!;
      if ((load.get(o.id) ?? 0) >= cap) {
        breaches.push({
          visit: request.key,
          certificateNo: o.certificateNo,
          departmentId: o.departmentId,
          load: (load.get(o.id) ?? 0) + 1,
          cap,
          reason: reasonIfOver,
        });
      }
      team.push(o);
    };
    for (const dept of request.departments) {
      const list = candidates(dept.departmentId);
      const cap = caps.get(dept.departmentId)!;
      const anyUnder = list.some((o) => (load.get(o.id) ?? 0) < cap);
      const before = team.length;
      for (const specialty of new Set(dept.specialties)) {
        if (team.slice(before).some((o) => o.specialties.includes(specialty))) continue;
        const specialist = list.find((o) => o.specialties.includes(specialty) && !team.includes(o));
        if (!specialist) throw fail('SPECIALTY', `${dept.name}没有具备“${specialty}”业务专长且可以派出的执法人员`);
        take(specialist, anyUnder ? 'SPECIALTY' : 'ALL_AT_CAP');
      }
      if (team.length === before) take(list[0], 'ALL_AT_CAP');
    }
    while (team.length < MIN_TEAM) take(candidates(request.departments[0].departmentId)[0], 'ALL_AT_CAP');
    for (const o of team) load.set(o.id, (load.get(o.id) ?? 0) + 1);
    teams.set(request.key, team);
  }
  return { teams, breaches, caps };
}

/**
 * The replacement for an officer leaving a visit after the reveal (amendTeam): from the same
 * department's pool, not on the team, not recused, never one who left this visit before, and a
 * specialist where the leaving officer was the team's only one for a specialty the department's
 * items need; taken in the draw's order (under the cap by seeded rank, then by load).
 */
export function replacementFor(
  request: TeamRequest,
  team: PoolOfficer[],
  leaving: PoolOfficer,
  load: Map<number, number>,
  cap: number,
  leftBefore: Set<string>,
  rules: TeamRules,
): PoolOfficer {
  const label = (rules.labelOf ?? ((f: string) => f))(request.firm);
  const staying = team.filter((o) => o !== leaving);
  const needs = (request.departments.find((d) => d.departmentId === leaving.departmentId)?.specialties ?? []).filter(
    (s) => leaving.specialties.includes(s) && !staying.some((o) => o.departmentId === leaving.departmentId && o.specialties.includes(s)),
  );
  const usable = rules
    .order(request.key, leaving.departmentId)
    .filter(
      (o) => !team.includes(o) && !leftBefore.has(o.certificateNo) && !recused(o, request) && needs.every((s) => o.specialties.includes(s)),
    );
  const [first] = ordered(usable, load, cap);
  if (!first) {
    throw new ConflictError(
      `“${label}”：没有可以替换的执法人员（同一部门、未在检查组、无需回避${needs.length ? `、具备“${needs.join('、')}”专长` : ''}）`,
      { rule: 'AMENDMENT', visit: label },
    );
  }
  return first;
}
