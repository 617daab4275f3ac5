import crypto from 'node:crypto';
import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { Department } from '../departments/department.entity.js';
import { ApiToken } from './api-token.entity.js';
import { User } from './user.entity.js';

/** What a reporting token starts with, so the server (and a secret scanner) tells it from a login token. */
export const API_TOKEN_PREFIX = 'hubrt_';
/** Longest a token may live: a year, then a head issues a new one. */
const MAX_DAYS = 366;

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

function assertHead(viewer: Viewer): void {
  if (!hasRole(viewer, Role.HEAD)) throw new ForbiddenError('报表令牌由部门负责人创建和撤销');
}

/** A department head issues a named, expiring, read-only token for its department; the token is returned once. */
export async function createApiToken(
  em: EntityManager,
  viewer: Viewer,
  name: string,
  expiresAt: Date,
): Promise<{ token: string; apiToken: ApiToken }> {
  assertHead(viewer);
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 64) throw new BadInputError('name', '名称应为 1–64 个字符');
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) throw new BadInputError('expiresAt', '有效期无效');
  if (expiresAt.getTime() <= Date.now()) throw new BadInputError('expiresAt', '有效期应晚于现在');
  if (expiresAt.getTime() > Date.now() + MAX_DAYS * 86_400_000) throw new BadInputError('expiresAt', `有效期最长 ${MAX_DAYS} 天`);
  const active = await em.count(ApiToken, {
    department: viewer.departmentId,
    name: trimmed,
    revokedAt: null,
    expiresAt: { $gt: new Date() },
  });
  if (active > 0) throw new ConflictError(`本部门已有名为“${trimmed}”的有效报表令牌`);
  const token = API_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const apiToken = new ApiToken(
    ref(em.getReference(Department, viewer.departmentId)),
    trimmed,
    hashOf(token),
    ref(em.getReference(User, viewer.userId)),
    expiresAt,
  );
  em.persist(apiToken);
  await em.flush();
  return { token, apiToken };
}

/** Revoked at once: the next call with it is refused (UNAUTHENTICATED). */
export async function revokeApiToken(em: EntityManager, viewer: Viewer, id: number): Promise<ApiToken> {
  assertHead(viewer);
  const apiToken = await em.findOne(ApiToken, { id, department: viewer.departmentId });
  if (!apiToken) throw new NotFoundError('报表令牌', id);
  if (!apiToken.revokedAt) {
    apiToken.revokedAt = new Date();
    apiToken.revokedBy = ref(em.getReference(User, viewer.userId));
    await em.flush();
  }
  return apiToken;
}

/** The department's tokens, newest first (staff and head see them; only the head changes them). */
export async function listApiTokens(em: EntityManager, viewer: Viewer): Promise<ApiToken[]> {
  if (!hasRole(viewer, Role.HEAD, Role.STAFF)) throw new ForbiddenError('仅本部门业务人员和负责人可查看报表令牌');
  return em.find(ApiToken, { department: viewer.departmentId }, { orderBy: { id: 'desc' } });
}

export const isApiToken = (token: string) => token.startsWith(API_TOKEN_PREFIX);

/**
 * The viewer of a reporting token: the department's scope with no role, so only operations
 * marked for reporting accept it (graphql/auth.ts). Counts the use; the caller audits it.
 */
export async function authenticateApiToken(em: EntityManager, token: string): Promise<Viewer> {
  const rows = await em
    .getConnection()
    .execute<{ id: number; department_id: number; created_by_id: number; name: string; expires_at: Date }[]>(
      `update api_token set uses = uses + 1, last_used_at = now()
      where token_hash = ? and revoked_at is null and expires_at > now()
      returning id, department_id, created_by_id, name, expires_at`,
      [hashOf(token)],
    );
  if (rows.length === 0) throw new UnauthenticatedError('报表令牌无效、已过期或已撤销');
  const [row] = rows;
  return {
    userId: row.created_by_id,
    username: `报表令牌：${row.name}`,
    departmentId: row.department_id,
    roles: [],
    officerId: null,
    expiresAt: Math.floor(new Date(row.expires_at).getTime() / 1000),
    sessionId: null,
    mustChangePassword: false,
    apiTokenId: row.id,
  };
}
