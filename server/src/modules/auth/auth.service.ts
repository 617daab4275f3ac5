import type { EntityManager } from '@mikro-orm/postgresql';
import argon2 from 'argon2';
import type { Viewer } from '../../core/viewer.js';
import { BadInputError, UnauthenticatedError } from '../../core/errors.js';
import { passwordRefusal } from './password-policy.js';
import { readPolicy } from './security-policy.js';
import { SessionEnd } from './session.entity.js';
import { type ClientInfo, endSessions, startSession } from './session.service.js';
import type { TokenService } from './token.service.js';
import { User } from './user.entity.js';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: User;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a dummy hash when the user is unknown keeps both failure paths equally slow.
let dummyHash: Promise<string> | undefined;

/** Failed logins for one user name within the window that lock it out for the rest of the window. */
export const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MINUTES = 15;

/**
 * The user names among these that are locked out now: five failed logins within the window, after
 * the last unlock (unlockUser). One statement for a login and for a page of accounts alike.
 */
/** A user name as typed (spaces around it are not part of it): one form for login, lockout and the audit. */
export function normalizeUsername(raw: string): string {
  return raw.trim();
}

export async function lockedOut(em: EntityManager, usernames: readonly string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  // Counted from the audit log, which every server instance writes: the limit holds across instances.
  // The names go as JSON text: a login's user name is whatever the caller typed.
  const rows = await em.getConnection().execute<{ username: string }[]>(
    `select n.value as username
       from json_array_elements_text(?::json) n
       left join app_user u on u.username = n.value
       join audit_log a on a.operation = 'login' and a.target = 'username=' || n.value and not a.success
        and a.at > greatest(now() - interval '${LOCKOUT_MINUTES} minutes', coalesce(u.lockout_reset_at, '-infinity'))
      group by n.value having count(*) >= ${MAX_FAILED_LOGINS}`,
    [JSON.stringify(usernames)],
  );
  return new Set(rows.map((r) => r.username));
}

/** A new session with its first token. An initial or reset password still logs in: the account must then change it. */
export async function login(
  em: EntityManager,
  tokens: TokenService,
  username: string,
  password: string,
  client: ClientInfo = {},
): Promise<LoginResult> {
  const name = normalizeUsername(username);
  if (!name) throw new BadInputError('username', '不能为空');
  if (!password) throw new BadInputError('password', '不能为空');
  if ((await lockedOut(em, [name])).has(name)) {
    throw new UnauthenticatedError(`登录失败次数过多，账号已锁定 ${LOCKOUT_MINUTES} 分钟；可请安全管理员解锁`);
  }
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, { username: name });
    const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword('not-a-password')));
    const matches = await argon2.verify(hash, password);
    if (!user || !matches) throw new UnauthenticatedError('用户名或密码错误');
    if (!user.active) throw new UnauthenticatedError('账号已停用，请联系管理员');
    user.lastLoginAt = new Date();
    const session = startSession(tx, user, client);
    const { token, expiresAt } = await tokens.issue(user, session.id);
    return { token, expiresAt, user };
  });
}

/** A fresh token for a still-valid session, so the client can keep working past the token's lifetime. */
export async function renewToken(em: EntityManager, tokens: TokenService, viewer: Viewer): Promise<LoginResult> {
  if (!viewer.sessionId) throw new UnauthenticatedError();
  const user = await em.findOneOrFail(User, { id: viewer.userId });
  const { token, expiresAt } = await tokens.issue(user, viewer.sessionId);
  return { token, expiresAt, user };
}

/**
 * The account sets its own password: the old one is required, the new one must meet the policy and
 * differ from it. Every other session of the account ends; this one goes on.
 */
export async function changePassword(em: EntityManager, viewer: Viewer, oldPassword: string, newPassword: string): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await tx.findOneOrFail(User, { id: viewer.userId });
    if (!(await argon2.verify(user.passwordHash, oldPassword))) throw new BadInputError('oldPassword', '原密码不正确');
    const refusal = passwordRefusal(newPassword, user.username, (await readPolicy(tx)).passwordMinLength);
    if (refusal) throw new BadInputError('newPassword', refusal);
    if (newPassword === oldPassword) throw new BadInputError('newPassword', '不能与原密码相同');
    user.passwordHash = await hashPassword(newPassword);
    user.mustChangePassword = false;
    user.passwordChangedAt = new Date();
    await tx.flush();
    await endSessions(tx, { userId: user.id, except: viewer.sessionId }, SessionEnd.PASSWORD_CHANGED);
    return user;
  });
}
