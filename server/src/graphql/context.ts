import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../modules/auth/roles.js';
import type { HubError } from './errors.js';
import type { TokenService } from '../modules/auth/token.service.js';
import type { EventBus } from '../modules/events/event-bus.js';
import type { ImportJobs } from '../modules/registry/import/import-job.service.js';

/** Who is asking: read from the token, checked against the account on every request. */
export interface Viewer {
  userId: number;
  username: string;
  departmentId: number;
  roles: Role[];
  officerId: number | null;
  /** Token expiry (seconds since epoch), so long-lived WebSocket connections re-check it. */
  expiresAt: number;
}

/** Process-wide services handed to every request. */
export interface HubServices {
  tokens: TokenService;
  events: EventBus;
  imports: ImportJobs;
}

export interface HubContext {
  /** A fork for this request (HTTP) or this operation (WebSocket). */
  em: EntityManager;
  viewer: Viewer | null;
  /** Why a presented token was refused; raised on the first non-public field. */
  authError: HubError | null;
  services: HubServices;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.roles.some((role) => roles.includes(role));
}

/** The department's own STAFF or HEAD: who plans, draws, publishes and handles for it. */
export function isStaffOf(viewer: Viewer, departmentId: number): boolean {
  return viewer.departmentId === departmentId && hasRole(viewer, Role.STAFF, Role.HEAD);
}
