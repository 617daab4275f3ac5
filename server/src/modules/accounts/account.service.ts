import { ref, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { type ConnectionShape, paginate, type PageRequest } from '../../core/paging.js';
import { ADMIN_ROLES, Role, ROLE_NAMES, roleSetRefusal } from '../../core/roles.js';
import { escapeLike } from '../../core/sql.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { hashPassword } from '../auth/auth.service.js';
import { oneTimePassword } from '../auth/password-policy.js';
import { SessionEnd } from '../auth/session.entity.js';
import { endSessions } from '../auth/session.service.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { Officer } from '../registry/officer.entity.js';

/**
 * Accounts under 三员分立: the 系统管理员 (ADMIN) creates, edits, disables accounts and resets
 * passwords; the 安全管理员 (SECURITY_ADMIN) grants and removes roles and unlocks; the 审计管理员
 * reads the audit log, where every one of these operations is recorded (graphql/audit.ts).
 */

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export interface UserInput {
  username?: string;
  displayName?: string;
  departmentId?: string;
  /** The officer record this account is (an officer's own login); null unlinks. */
  officerId?: string | null;
}

export interface IssuedPassword {
  user: User;
  /** Shown once, to hand to the person; they must change it at first login. */
  oneTimePassword: string;
}

function must(viewer: Viewer, role: Role, action: string): void {
  if (!hasRole(viewer, role)) throw new ForbiddenError(`只有${ROLE_NAMES[role]}可以${action}`);
}

async function userOf(em: EntityManager, id: string): Promise<User> {
  const user = await em.findOne(User, { id: parseId('id', id) });
  if (!user) throw new NotFoundError('账号', id);
  return user;
}

function notOwn(viewer: Viewer, user: User, action: string): void {
  if (user.id === viewer.userId) throw new ForbiddenError(`不能${action}本人的账号`);
}

/** The last active holder of an administrator role keeps it: the system is never left without one of the 三员. */
async function keepsLastAdministrator(em: EntityManager, user: User, losing: Role[]): Promise<void> {
  for (const role of losing.filter((r) => ADMIN_ROLES.includes(r) && user.roles.includes(r))) {
    const others = await em.count(User, { active: true, roles: { $contains: [role] }, id: { $ne: user.id } });
    if (others === 0) throw new ConflictError(`${user.displayName}是唯一启用的${ROLE_NAMES[role]}，不能停用或收回该角色`);
  }
}

export async function listUsers(
  em: EntityManager,
  viewer: Viewer,
  filter: { search?: string | null; departmentId?: string | null; active?: boolean | null },
  page: PageRequest,
): Promise<ConnectionShape<User>> {
  if (!hasRole(viewer, Role.ADMIN, Role.SECURITY_ADMIN)) throw new ForbiddenError('只有系统管理员和安全管理员可以查看账号');
  const where: FilterQuery<User>[] = [];
  const search = filter.search?.trim();
  if (search)
    where.push({ $or: [{ username: { $ilike: `%${escapeLike(search)}%` } }, { displayName: { $ilike: `%${escapeLike(search)}%` } }] });
  if (filter.departmentId) where.push({ department: parseId('departmentId', filter.departmentId) });
  if (filter.active != null) where.push({ active: filter.active });
  return paginate(em, User, where.length ? { $and: where } : {}, page);
}

/** Checks the department and the officer link of an account, and returns them. */
async function placement(em: EntityManager, departmentId: number, officerId: number | null, userId: number | null) {
  const department = await em.findOne(Department, { id: departmentId });
  if (!department) throw new BadInputError('departmentId', `部门不存在：${departmentId}`);
  if (officerId === null) return { department, officer: null };
  const officer = await em.findOne(Officer, { id: officerId });
  if (!officer) throw new BadInputError('officerId', `执法人员不存在：${officerId}`);
  if (officer.department.id !== department.id) throw new BadInputError('officerId', `${officer.name}不属于${department.name}`);
  const linked = await em.findOne(User, { officer: officer.id, id: { $ne: userId ?? 0 } });
  if (linked) throw new ConflictError(`${officer.name}已有账号：${linked.username}`);
  return { department, officer };
}

export async function createUser(em: EntityManager, viewer: Viewer, input: UserInput): Promise<IssuedPassword> {
  must(viewer, Role.ADMIN, '创建账号');
  const username = input.username?.trim().toLowerCase() ?? '';
  if (!USERNAME.test(username)) throw new BadInputError('username', '3–64 位，小写字母、数字及 . _ -，以字母或数字开头');
  const displayName = input.displayName?.trim() ?? '';
  if (!displayName || displayName.length > 64) throw new BadInputError('displayName', '不能为空，且不超过 64 个字');
  if (!input.departmentId) throw new BadInputError('departmentId', '请选择部门');
  return em.transactional(async (tx) => {
    if (await tx.count(User, { username })) throw new ConflictError(`用户名已存在：${username}`, { field: 'username' });
    const { department, officer } = await placement(
      tx,
      parseId('departmentId', input.departmentId!),
      input.officerId ? parseId('officerId', input.officerId) : null,
      null,
    );
    const password = oneTimePassword();
    const user = new User(username, displayName, await hashPassword(password), ref(department), []);
    user.officer = officer ? ref(officer) : undefined;
    user.mustChangePassword = true;
    tx.persist(user);
    await tx.flush();
    return { user, oneTimePassword: password };
  });
}

export async function updateUser(em: EntityManager, viewer: Viewer, id: string, input: UserInput): Promise<User> {
  must(viewer, Role.ADMIN, '修改账号');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    if (input.displayName !== undefined) {
      const displayName = input.displayName?.trim() ?? '';
      if (!displayName || displayName.length > 64) throw new BadInputError('displayName', '不能为空，且不超过 64 个字');
      user.displayName = displayName;
    }
    const departmentId = input.departmentId ? parseId('departmentId', input.departmentId) : user.department.id;
    const officerId =
      input.officerId === undefined ? (user.officer?.id ?? null) : input.officerId === null ? null : parseId('officerId', input.officerId);
    if (officerId === null && user.roles.includes(Role.OFFICER)) {
      throw new BadInputError('officerId', '执法人员账号须对应执法人员名录中的一人；请先由安全管理员收回执法人员角色');
    }
    const { department, officer } = await placement(tx, departmentId, officerId, user.id);
    user.department = ref(department);
    user.officer = officer ? ref(officer) : undefined;
    await tx.flush();
    return user;
  });
}

export async function disableUser(em: EntityManager, viewer: Viewer, id: string, reason: string): Promise<User> {
  must(viewer, Role.ADMIN, '停用账号');
  const why = reason.trim();
  if (!why || why.length > 500) throw new BadInputError('reason', '请说明停用理由（不超过 500 字）');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    notOwn(viewer, user, '停用');
    if (!user.active) return user;
    await keepsLastAdministrator(tx, user, user.roles);
    Object.assign(user, { active: false, disabledReason: why });
    await tx.flush();
    await endSessions(tx, { userId: user.id }, SessionEnd.DISABLED);
    return user;
  });
}

export async function enableUser(em: EntityManager, viewer: Viewer, id: string): Promise<User> {
  must(viewer, Role.ADMIN, '启用账号');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    Object.assign(user, { active: true, disabledReason: null });
    await tx.flush();
    return user;
  });
}

/** A one-time password for someone who forgot theirs; every session of the account ends. */
export async function resetPassword(em: EntityManager, viewer: Viewer, id: string): Promise<IssuedPassword> {
  must(viewer, Role.ADMIN, '重置密码');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    notOwn(viewer, user, '重置'); // one's own: changePassword, with the old one
    const password = oneTimePassword();
    Object.assign(user, { passwordHash: await hashPassword(password), mustChangePassword: true });
    await tx.flush();
    await endSessions(tx, { userId: user.id }, SessionEnd.PASSWORD_CHANGED);
    return { user, oneTimePassword: password };
  });
}

async function setRoles(em: EntityManager, viewer: Viewer, id: string, roles: Role[], grant: boolean): Promise<User> {
  must(viewer, Role.SECURITY_ADMIN, grant ? '授予角色' : '收回角色');
  if (roles.length === 0) throw new BadInputError('roles', '请选择角色');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    notOwn(viewer, user, grant ? '授予角色给' : '收回');
    const next = grant ? [...new Set([...user.roles, ...roles])] : user.roles.filter((r) => !roles.includes(r));
    const refusal = roleSetRefusal(next);
    if (refusal) throw new BadInputError('roles', refusal);
    if (grant && roles.includes(Role.OFFICER) && !user.officer) {
      throw new BadInputError('roles', '执法人员角色须先由系统管理员将账号对应到执法人员名录中的一人');
    }
    if (!grant) await keepsLastAdministrator(tx, user, roles);
    user.roles = Object.values(Role).filter((r) => next.includes(r));
    await tx.flush();
    return user;
  });
}

export const grantRoles = (em: EntityManager, viewer: Viewer, id: string, roles: Role[]) => setRoles(em, viewer, id, roles, true);
export const revokeRoles = (em: EntityManager, viewer: Viewer, id: string, roles: Role[]) => setRoles(em, viewer, id, roles, false);

/** Clears the failed-login lockout (the failures stay in the audit log). */
export async function unlockUser(em: EntityManager, viewer: Viewer, id: string): Promise<User> {
  must(viewer, Role.SECURITY_ADMIN, '解锁账号');
  return em.transactional(async (tx) => {
    const user = await userOf(tx, id);
    user.lockoutResetAt = new Date();
    await tx.flush();
    return user;
  });
}
