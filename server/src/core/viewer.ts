import type { FilterQuery } from '@mikro-orm/core';
import { ForbiddenError } from './errors.js';
import { Role } from './roles.js';

/** Who is asking: read from the token, checked against the account on every request. */
export interface Viewer {
  userId: number;
  username: string;
  departmentId: number;
  roles: Role[];
  officerId: number | null;
  /** Token expiry (seconds since epoch), so long-lived WebSocket connections re-check it. */
  expiresAt: number;
  /** The login this token belongs to (null for work the server does itself: seeding, benchmarks). */
  sessionId: string | null;
  /** An initial or reset password: until it is changed, only the account's own operations are open. */
  mustChangePassword: boolean;
  /** Set when a reporting tool calls with a department's read-only token (modules/auth/api-token.service.ts): statistics only. */
  apiTokenId?: number | null;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}

/** The department's own STAFF or HEAD: who plans, draws, publishes and handles for it. */
export function isStaffOf(viewer: Viewer, departmentId: number): boolean {
  return viewer.departmentId === departmentId && hasRole(viewer, Role.STAFF, Role.HEAD);
}

/**
 * The one scope rule for department data (design §6): a department reads what it takes part in —
 * its own plans, tasks, draws and visits, and the joint ones it partners in. Every record carries
 * the departments taking part. (The 三员 do not reach business data at all: graphql/auth.ts.)
 */
export type Scope = { readonly all: true } | { readonly all: false; readonly departmentId: number };

export function scopeOf(viewer: Viewer): Scope {
  return { all: false, departmentId: viewer.departmentId };
}

/** The department a reader is limited to, or null when it reads everything (for SQL and event filters). */
export function scopeDepartment(viewer: Viewer): number | null {
  const scope = scopeOf(viewer);
  return scope.all ? null : scope.departmentId;
}

/** Whether a record with these taking-part departments is within the viewer's scope. */
export function inScope(viewer: Viewer, departmentIds: readonly number[]): boolean {
  const scope = scopeOf(viewer);
  return scope.all || departmentIds.includes(scope.departmentId);
}

/** Refuses a record outside the viewer's scope, with the reason people read. */
export function assertInScope(viewer: Viewer, departmentIds: readonly number[], reason: string): void {
  if (!inScope(viewer, departmentIds)) throw new ForbiddenError(reason);
}

/**
 * The scope as a MikroORM filter: `takingPart(departmentId)` says how an entity names the
 * departments taking part (an int[] column, or lead/partner relations); everything when unscoped.
 */
export function scopeWhere<T>(viewer: Viewer, takingPart: (departmentId: number) => FilterQuery<T>): FilterQuery<T> {
  const scope = scopeOf(viewer);
  return scope.all ? {} : takingPart(scope.departmentId);
}

/** The common case: an entity with a `departmentIds int[]` column. */
export function departmentsInScope(departmentId: number): { departmentIds: { $contains: number[] } } {
  return { departmentIds: { $contains: [departmentId] } };
}
