import type { AuthChecker } from 'type-graphql';
import { Extensions } from 'type-graphql';
import { DomainError, ForbiddenError, UnauthenticatedError } from '../core/errors.js';
import { ADMIN_ROLES, ROLE_NAMES, type Role } from '../core/roles.js';
import { hasRole } from '../core/viewer.js';
import type { HubContext } from './context.js';

/** Marks a root operation that needs no login (login itself, the public results). */
export const Public = () => Extensions({ public: true });

/** An operation the 三员 (ADMIN, SECURITY_ADMIN, AUDITOR) may call: accounts, departments, policy, the audit log. */
export const AdminOperation = () => Extensions({ admin: true });

/** An operation on one's own account (me, changePassword, logout, sessions): open to every account, even before a forced password change. */
export const OwnAccount = () => Extensions({ ownAccount: true });

/** An operation a reporting tool's read-only token may call (statistics): nothing else is open to it. */
export const ReportingOperation = () => Extensions({ reporting: true });

export interface RootFieldKind {
  public?: boolean;
  admin?: boolean;
  ownAccount?: boolean;
  reporting?: boolean;
}

/**
 * Default deny, applied to the root fields only (root-guards.ts), so the fields below them run
 * without a middleware each: every root field needs a signed-in viewer unless @Public(); an
 * account that must change its password reaches only its own account's operations; and the
 * 三员 reach only the operations marked for them — never business data (design §6). Department
 * scope is checked by the services, which know the records.
 */
export function requireViewer(kind: RootFieldKind, context: Pick<HubContext, 'viewer' | 'authError'>): void {
  if (kind.public) return;
  const { viewer } = context;
  if (!viewer) throw context.authError ?? new UnauthenticatedError();
  if (viewer.apiTokenId != null) {
    if (kind.reporting) return;
    throw new ForbiddenError('报表令牌只读，只能查询统计');
  }
  if (kind.ownAccount) return;
  if (viewer.mustChangePassword)
    throw new DomainError('FORBIDDEN', '请先修改初始密码（或重置后的密码）', { reason: 'PASSWORD_CHANGE_REQUIRED' });
  const admin = viewer.roles.find((r) => ADMIN_ROLES.includes(r));
  if (admin && !kind.admin) throw new ForbiddenError(`三员分立：${ROLE_NAMES[admin]}不处理业务数据`);
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
