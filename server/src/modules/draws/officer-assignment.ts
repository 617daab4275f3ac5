import crypto from 'node:crypto';
import { ConflictError } from '../../core/errors.js';

/** An officer who could go: already active, certified and of the right department. */
export interface PoolOfficer {
  id: number;
  name: string;
  certificateNo: string;
  departmentId: number;
  specialties: string[];
  /** Enterprises the officer declared a conflict with. */
  conflicts: Set<number>;
  /** "enterpriseId:itemId" the officer inspected last year (recusal). */
  inspectedLastYear: Set<string>;
}

export interface TeamRequest {
  /** Stable key for the seeded order, e.g. "0:91140525MA…". */
  key: string;
  /** How messages name the visit: enterprise name and USCC. */
  label: string;
  enterpriseId: number;
  itemIds: number[];
  /** Lead first; each with the specialties its items need. */
  departments: { departmentId: number; name: string; specialties: string[] }[];
}

/** Minimum team (design §3: 至少 2 名执法人员). */
export const MIN_TEAM = 2;

function order(seed: string, key: string, officers: PoolOfficer[]): PoolOfficer[] {
  const rank = (o: PoolOfficer) => crypto.createHash('sha256').update(`${seed}|${key}|${o.certificateNo}`).digest('hex');
  return officers
    .map((o) => ({ o, r: rank(o) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    .map((x) => x.o);
}

/**
 * Draws a team per visit: one officer of the lead department and of each partner department
 * with items in the visit, specialists where an item needs one, at least two in all; nobody
 * recused (declared conflict, or the same firm and item last year); load spread so that no
 * officer exceeds ⌈demand ÷ pool⌉ + 1 in this draw; ties settled by the seeded order.
 * Throws, naming the visit and the rule, when the rules cannot be met.
 */
export function assignTeams(
  seed: string,
  requests: TeamRequest[],
  pools: Map<number, PoolOfficer[]>,
  departmentNames: Map<number, string>,
): Map<string, PoolOfficer[]> {
  const demand = new Map<number, number>();
  for (const r of requests) {
    r.departments.forEach((d, i) =>
      demand.set(d.departmentId, (demand.get(d.departmentId) ?? 0) + (i === 0 && r.departments.length < MIN_TEAM ? MIN_TEAM : 1)),
    );
  }
  const cap = new Map([...demand].map(([dept, n]) => [dept, Math.ceil(n / Math.max(1, pools.get(dept)?.length ?? 0)) + 1]));
  const load = new Map<number, number>();
  const teams = new Map<string, PoolOfficer[]>();

  for (const request of requests) {
    const team: PoolOfficer[] = [];
    const free = (deptId: number) => {
      const pool = pools.get(deptId) ?? [];
      if (pool.length === 0) {
        throw new ConflictError(`“${request.label}”：${departmentNames.get(deptId) ?? deptId}没有在岗且执法证有效的执法人员`, {
          rule: 'CERTIFIED_ACTIVE',
          visit: request.label,
        });
      }
      const others = pool.filter((o) => !team.includes(o));
      if (others.length === 0) {
        throw new ConflictError(
          `“${request.label}”：${departmentNames.get(deptId) ?? deptId}可派执法人员不足，检查组至少需要 ${MIN_TEAM} 名`,
          { rule: 'TEAM_SIZE', visit: request.label },
        );
      }
      const usable = others.filter(
        (o) =>
          !o.conflicts.has(request.enterpriseId) &&
          !request.itemIds.some((item) => o.inspectedLastYear.has(`${request.enterpriseId}:${item}`)),
      );
      if (usable.length === 0) {
        throw new ConflictError(
          `“${request.label}”：${departmentNames.get(deptId) ?? deptId}的执法人员均需回避（声明的利害关系，或上一年检查过该企业的同一事项）`,
          {
            rule: 'RECUSAL',
            visit: request.label,
          },
        );
      }
      // The cap spreads work: officers under it come first, in seeded order; where the pool is too
      // small for it (few specialists, say), the least loaded of the others follow.
      const underCap = usable.filter((o) => (load.get(o.id) ?? 0) < cap.get(deptId)!);
      const overCap = usable.filter((o) => !underCap.includes(o));
      return [
        ...order(seed, request.key, underCap),
        ...order(seed, request.key, overCap).sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0)),
      ];
    };
    for (const dept of request.departments) {
      const candidates = free(dept.departmentId);
      const needed = new Set(dept.specialties);
      const chosen: PoolOfficer[] = [];
      for (const specialty of needed) {
        if (chosen.some((o) => o.specialties.includes(specialty))) continue;
        const specialist = candidates.find((o) => o.specialties.includes(specialty) && !chosen.includes(o));
        if (!specialist) {
          throw new ConflictError(`“${request.label}”：${dept.name}没有具备“${specialty}”业务专长且可以派出的执法人员`, {
            rule: 'SPECIALTY',
            visit: request.label,
          });
        }
        chosen.push(specialist);
      }
      if (chosen.length === 0) chosen.push(candidates[0]);
      team.push(...chosen);
    }
    while (team.length < MIN_TEAM) team.push(free(request.departments[0].departmentId)[0]);
    for (const o of team) load.set(o.id, (load.get(o.id) ?? 0) + 1);
    teams.set(request.key, team);
  }
  return teams;
}
