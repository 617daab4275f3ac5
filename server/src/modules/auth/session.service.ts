import { isUuid } from '../../core/ids.js';
import crypto from 'node:crypto';
import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { pgArray } from '../../core/sql.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { idleMinutesSql } from './security-policy.js';
import { SessionEnd, UserSession } from './session.entity.js';
import { User } from './user.entity.js';

/** NOTIFY channel announcing ended sessions (their ids): every instance closes their WebSockets at once. */
export const SESSION_CHANNEL = 'hub_session_ended';

/** SQL: the moment before which a session's last activity makes it idle, by the policy. */
const idleBefore = () => `now() - make_interval(mins => ${idleMinutesSql()})`;

/** Activity is written at most this often per session (a page's burst of requests writes once). */
const TOUCH_SECONDS = 30;

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** A new session for a login, persisted with the caller's transaction. */
export function startSession(em: EntityManager, user: User, client: ClientInfo): UserSession {
  const session = new UserSession(crypto.randomUUID(), ref(user), client);
  em.persist(session);
  return session;
}

/**
 * The account of a token and the state of its session, in one statement (every request pays for
 * it): activity is recorded at most every TOUCH_SECONDS, and only on an open, non-idle session.
 * Returns null when there is no such account.
 */
export async function accountAndSession(
  em: EntityManager,
  userId: number,
  sessionId: string,
): Promise<{ user: User; ended: boolean; idle: boolean } | null> {
  const [row] = await em.getConnection().execute<(Record<string, unknown> & { session_ended: boolean; session_idle: boolean })[]>(
    `with touched as (
       update user_session set last_seen_at = now()
        where id = ? and user_id = ? and ended_at is null
          and last_seen_at >= ${idleBefore()} and last_seen_at < now() - interval '${TOUCH_SECONDS} seconds'
        returning id)
     select u.*, s.id is null or s.ended_at is not null as session_ended,
            coalesce(s.last_seen_at < ${idleBefore()}, false) as session_idle
       from app_user u left join user_session s on s.id = ? and s.user_id = u.id
      where u.id = ?`,
    [sessionId, userId, sessionId, userId],
  );
  if (!row) return null;
  const { session_ended: ended, session_idle: idleNow, ...columns } = row;
  return { user: em.map(User, columns), ended, idle: idleNow };
}

/** Refuses a token whose session has ended, or ends an idle one (announced) and refuses it. */
export async function checkSession(em: EntityManager, sessionId: string, state: { ended: boolean; idle: boolean }): Promise<void> {
  if (state.ended) throw new UnauthenticatedError('登录已失效（已退出或被注销），请重新登录');
  if (state.idle) {
    await endSessions(em, { sessionIds: [sessionId] }, SessionEnd.IDLE);
    throw new UnauthenticatedError('长时间未操作，已自动退出，请重新登录');
  }
}

/**
 * Ends open sessions — by id, or all of an account's (but one) — and announces each on
 * SESSION_CHANNEL; inside a transaction the announcement goes out when it commits.
 */
export async function endSessions(
  em: EntityManager,
  which: { sessionIds?: string[]; userId?: number; except?: string | null },
  reason: SessionEnd,
): Promise<string[]> {
  const conditions: string[] = ['ended_at is null'];
  const params: unknown[] = [reason];
  if (which.sessionIds) {
    conditions.push('id = any(?::uuid[])');
    params.push(pgArray(which.sessionIds));
  }
  if (which.userId != null) {
    conditions.push('user_id = ?');
    params.push(which.userId);
  }
  if (which.except) {
    conditions.push('id <> ?');
    params.push(which.except);
  }
  const ended = await em.getConnection().execute<{ id: string }[]>(
    `with ended as (update user_session set ended_at = now(), end_reason = ? where ${conditions.join(' and ')} returning id)
       select id, pg_notify('${SESSION_CHANNEL}', id::text) from ended`,
    params,
    'all',
    em.getTransactionContext(),
  );
  return ended.map((r) => r.id);
}

/** Of these sessions, the ones no longer valid (ended, or idle — which are ended now): for the WebSocket sweep. */
export async function invalidSessions(em: EntityManager, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await em.getConnection().execute<{ id: string; ended: boolean }[]>(
    `select id, ended_at is not null as ended from user_session
      where id = any(?::uuid[]) and (ended_at is not null or last_seen_at < ${idleBefore()}))`,
    [pgArray(ids)],
  );
  const idle = rows.filter((r) => !r.ended).map((r) => r.id);
  if (idle.length) await endSessions(em, { sessionIds: idle }, SessionEnd.IDLE);
  return rows.map((r) => r.id);
}

/** Open sessions: one's own; the 安全管理员 sees everyone's (or one account's). */
export async function listSessions(em: EntityManager, viewer: Viewer, userId: number | null): Promise<UserSession[]> {
  const all = hasRole(viewer, Role.SECURITY_ADMIN);
  if (userId != null && userId !== viewer.userId && !all) throw new ForbiddenError('只能查看本人的会话');
  const user = userId ?? (all ? undefined : viewer.userId);
  return em.find(UserSession, { endedAt: null, ...(user != null ? { user } : {}) }, { orderBy: { lastSeenAt: 'desc' }, limit: 500 });
}

/** Ends a session: one's own, or anyone's for the 安全管理员. */
export async function revokeSession(em: EntityManager, viewer: Viewer, id: string): Promise<UserSession> {
  const session = isUuid(id) ? await em.findOne(UserSession, { id }) : null;
  if (!session) throw new NotFoundError('会话', id);
  if (session.user.id !== viewer.userId && !hasRole(viewer, Role.SECURITY_ADMIN)) throw new ForbiddenError('只能注销本人的会话');
  await endSessions(em, { sessionIds: [id] }, SessionEnd.REVOKED);
  await em.refresh(session);
  return session;
}

/** Ends the session of the token in use. */
export async function logout(em: EntityManager, viewer: Viewer): Promise<boolean> {
  if (viewer.sessionId) await endSessions(em, { sessionIds: [viewer.sessionId] }, SessionEnd.LOGOUT);
  return true;
}
