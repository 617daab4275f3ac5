import type { EntityManager } from '@mikro-orm/postgresql';
import argon2 from 'argon2';
import type { Viewer } from '../../graphql/context.js';
import { BadInputError, UnauthenticatedError } from '../../graphql/errors.js';
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

export async function login(em: EntityManager, tokens: TokenService, username: string, password: string): Promise<LoginResult> {
  if (!username.trim()) throw new BadInputError('username', '不能为空');
  if (!password) throw new BadInputError('password', '不能为空');
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
