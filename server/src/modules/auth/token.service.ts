import { isUuid } from '../../core/ids.js';
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { jwtVerify, SignJWT } from 'jose';
import { Setting } from '../../db/setting.entity.js';
import type { Viewer } from '../../core/viewer.js';
import { UnauthenticatedError } from '../../core/errors.js';
import { accountAndSession, checkSession } from './session.service.js';
import { User } from './user.entity.js';
import { authenticateApiToken, isApiToken } from './api-token.service.js';

const SECRET_KEY = 'token_secret';
const ISSUER = 'inspection-hub';

/**
 * Signs and checks access tokens (HS256). The secret comes from TOKEN_SECRET or, when unset,
 * is generated once and stored in the database, so every server instance on it agrees.
 */
export class TokenService {
  private constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
  ) {}

  static async create(em: EntityManager, ttlSeconds: number, configured?: string): Promise<TokenService> {
    if (configured) return new TokenService(new TextEncoder().encode(configured), ttlSeconds);
    const candidate = crypto.randomBytes(48).toString('base64url');
    // Insert-if-absent, then read: two instances starting at once end up with the same secret.
    await em
      .getConnection()
      .execute('insert into app_setting (key, value) values (?, ?) on conflict (key) do nothing', [SECRET_KEY, candidate]);
    const stored = await em.findOneOrFail(Setting, { key: SECRET_KEY });
    return new TokenService(new TextEncoder().encode(stored.value), ttlSeconds);
  }

  async issue(user: User, sessionId: string): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.ttlSeconds * 1000);
    const token = await new SignJWT({ dept: user.department.id, roles: user.roles, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(user.id))
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * Verifies the token, its session and the account: a logout, a revoked or idle session, a
   * disabled account or changed roles take effect at once, not when the token expires. A
   * reporting token (api-token.service.ts) is checked against its row the same way.
   */
  async authenticate(em: EntityManager, token: string): Promise<Viewer> {
    if (isApiToken(token)) return authenticateApiToken(em, token);
    let subject: string | undefined;
    let exp: number | undefined;
    let sid: unknown;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      subject = payload.sub;
      exp = payload.exp;
      sid = payload.sid;
    } catch {
      throw new UnauthenticatedError('登录凭证无效或已过期，请重新登录');
    }
    if (typeof sid !== 'string' || !isUuid(sid) || !/^\d{1,9}$/.test(subject ?? '')) {
      throw new UnauthenticatedError('登录凭证无效或已过期，请重新登录');
    }
    const found = await accountAndSession(em, Number(subject), sid);
    if (!found || !found.user.active) throw new UnauthenticatedError('账号不存在或已停用');
    await checkSession(em, sid, found);
    return viewerOf(found.user, exp ?? 0, sid);
  }
}

/** Who a user is to the services: the same for a token, the demo seeding and the benchmarks. */
export function viewerOf(user: User, expiresAt: number, sessionId: string | null = null): Viewer {
  return {
    userId: user.id,
    username: user.username,
    departmentId: user.department.id,
    roles: user.roles,
    officerId: user.officer?.id ?? null,
    expiresAt,
    sessionId,
    mustChangePassword: user.mustChangePassword,
  };
}

/** Accepts "Bearer <token>" or the bare token. */
export function tokenFromHeader(header: unknown): string | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1] : header.trim();
}
