import type { EntityManager } from '@mikro-orm/postgresql';
import argon2 from 'argon2';
import type { Viewer } from '../../core/viewer.js';
import { BadInputError, UnauthenticatedError } from '../../core/errors.js';
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

export async function login(em: EntityManager, tokens: TokenService, username: string, password: string): Promise<LoginResult> {
  if (!username.trim()) throw new BadInputError('username', '不能为空');
  if (!password) throw new BadInputError('password', '不能为空');
  // Counted from the audit log, which every server instance writes: the limit holds across instances.
  const [{ failures }] = await em.getConnection().execute<{ failures: string }[]>(
    `select count(*) as failures from audit_log
      where operation = 'login' and target = ? and not success and at > now() - interval '${LOCKOUT_MINUTES} minutes'`,
    [`username=${username.trim()}`],
  );
  if (Number(failures) >= MAX_FAILED_LOGINS) {
    throw new UnauthenticatedError(`登录失败次数过多，请 ${LOCKOUT_MINUTES} 分钟后再试`);
  }
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, { username: username.trim() });
    const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword('not-a-password')));
    const matches = await argon2.verify(hash, password);
    if (!user || !matches) throw new UnauthenticatedError('用户名或密码错误');
    if (!user.active) throw new UnauthenticatedError('账号已停用，请联系管理员');
    user.lastLoginAt = new Date();
    const { token, expiresAt } = await tokens.issue(user);
    return { token, expiresAt, user };
  });
}

/** A fresh token for a still-valid session, so the client can keep working past the token's lifetime. */
export async function renewToken(em: EntityManager, tokens: TokenService, viewer: Viewer): Promise<LoginResult> {
  const user = await em.findOneOrFail(User, { id: viewer.userId });
  const { token, expiresAt } = await tokens.issue(user);
  return { token, expiresAt, user };
}
