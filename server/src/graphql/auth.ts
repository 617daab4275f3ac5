import type { AuthChecker } from 'type-graphql';
import { Extensions } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import { hasRole } from '../core/viewer.js';
import type { HubContext } from './context.js';

/** Marks a root operation that needs no login (login itself, the public results). */
export const Public = () => Extensions({ public: true });

/**
 * Default deny: every root field needs a signed-in viewer unless marked @Public(). Applied to the
 * root fields only (root-guards.ts), so the fields below them run without a middleware each.
 * Department scope is checked by the services, which know the records.
 */
export function requireViewer(isPublic: boolean, context: HubContext): void {
  if (!isPublic && !context.viewer) throw context.authError ?? new UnauthenticatedError();
}

/** `@Authorized(Role.STAFF, Role.HEAD)`: the viewer needs one of the roles. */
export const authChecker: AuthChecker<HubContext, Role> = ({ context }, roles) => {
  const { viewer } = context;
  if (!viewer) throw context.authError ?? new UnauthenticatedError();
  if (roles.length > 0 && !hasRole(viewer, ...roles)) {
    throw new ForbiddenError(`此操作需要以下角色之一：${roles.map((r) => ROLE_NAMES[r]).join('、')}`);
  }
  return true;
};

const ROLE_NAMES: Record<Role, string> = {
  ADMIN: '系统管理员',
  STAFF: '业务人员',
  HEAD: '部门负责人',
  OFFICER: '执法人员',
  WITNESS: '监督见证人',
  AUDITOR: '审计人员',
};
