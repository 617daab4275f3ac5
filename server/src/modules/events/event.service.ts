import type { EntityManager } from '@mikro-orm/postgresql';
import { scopeDepartment, type Viewer } from '../../core/viewer.js';
import { BadInputError } from '../../core/errors.js';
import { Event } from './event.entity.js';
import type { EventPayloads, EventRecord, EventType, StreamFilter } from './event-types.js';

export const EVENT_CHANNEL = 'hub_events';
/** Transient progress of long work (imports); not stored, delivered to whoever listens now. */
export const PROGRESS_CHANNEL = 'hub_progress';

export interface ProgressSignal {
  jobId: string;
  phase: 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
  bytesRead: number;
  totalBytes: number;
  /** Set with phase 'done': the job's final status. */
  status?: string;
}

export async function publishProgress(db: Queryable, signal: ProgressSignal): Promise<void> {
  await db.query('select pg_notify($1, $2)', [PROGRESS_CHANNEL, JSON.stringify(signal)]);
}

/** Position in the event stream: the commit-order number of the last event read. Opaque to clients. */
export interface EventCursor {
  seq: string;
}

const INT64_MAX = 2n ** 63n - 1n;

export const STREAM_START: EventCursor = { seq: '0' };

export function encodeEventCursor(c: EventCursor): string {
  return Buffer.from(`e${c.seq}`).toString('base64url');
}

export function decodeEventCursor(raw: string): EventCursor {
  const match = /^e(\d{1,19})$/.exec(Buffer.from(raw, 'base64url').toString());
  // Canonical form (no leading zeros), as the database writes them: compareCursors relies on it.
  const seq = match ? BigInt(match[1]) : -1n;
  if (seq < 0n || seq > INT64_MAX) throw new BadInputError('after', '无效，请使用收到的最后一个事件的 cursor（若刚升级，请刷新页面）');
  return { seq: seq.toString() };
}

/** Orders cursors. Runs per subscriber per event, so it compares canonical decimal text, not BigInts: shorter is smaller. */
export function compareCursors(a: EventCursor, b: EventCursor): number {
  if (a.seq.length !== b.seq.length) return a.seq.length < b.seq.length ? -1 : 1;
  return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

/**
 * Records an event in the caller's transaction and wakes every server's listener.
 * NOTIFY is delivered at commit, so a rolled-back change never announces itself.
 */
export async function emitEvent<T extends EventType>(
  em: EntityManager,
  type: T,
  departmentIds: number[],
  payload: EventPayloads[T],
  actorId?: number,
): Promise<void> {
  em.persist(new Event(type, [...new Set(departmentIds)], payload, actorId));
  await em.getConnection().execute(`select pg_notify('${EVENT_CHANNEL}', '')`, [], 'all', em.getTransactionContext());
}

/**
 * The same, for services that run their transaction on a raw pg connection (bulk COPY imports).
 */
export async function emitEventOn<T extends EventType>(
  db: Queryable,
  type: T,
  departmentIds: number[],
  payload: EventPayloads[T],
  actorId?: number,
): Promise<void> {
  await db.query('insert into event (type, department_ids, payload, actor_id) values ($1, $2, $3, $4)', [
    type,
    [...new Set(departmentIds)],
    JSON.stringify(payload),
    actorId ?? null,
  ]);
  await db.query(`select pg_notify('${EVENT_CHANNEL}', '')`);
}

/** A viewer's stream: the events the viewer may see, of these types (null: all), until the token expires. */
export function viewerFilter<T extends EventType>(
  viewer: Viewer,
  types: T[] | null,
  match?: (event: EventRecord<T>) => boolean,
): StreamFilter<T> {
  return { departmentId: scopeDepartment(viewer), types, expiresAt: viewer.expiresAt, ...(match ? { match } : {}) };
}

export interface ReadEventsOptions {
  after: EventCursor;
  limit: number;
  types?: EventType[] | null;
  /** Department that must be in scope; null reads all. */
  departmentId?: number | null;
}

interface EventRow {
  id: string;
  seq: string;
  type: string;
  department_ids: number[];
  payload: unknown;
  actor_id: number | null;
  created_at: Date;
}

/** Anything that runs parameterised SQL: a pg Pool or Client. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Reads events after a cursor, in commit order. Numbers are given at commit under a lock held
 * until the commit is visible (Migration20261202091500), so the committed events always form a
 * prefix of the numbers handed out: reading past one can never skip a later-committing one.
 */
export async function readEvents(db: Queryable, options: ReadEventsOptions): Promise<EventRecord[]> {
  const { rows } = await db.query<EventRow>(
    `select e.id::text as id, e.seq::text as seq, e.type, e.department_ids, e.payload, e.actor_id, e.created_at
       from event e
      where e.seq > $1::bigint
        and ($2::text[] is null or e.type = any($2::text[]))
        and ($3::int is null or cardinality(e.department_ids) = 0 or e.department_ids @> array[$3::int])
      order by e.seq
      limit $4`,
    [options.after.seq, options.types ?? null, options.departmentId ?? null, options.limit],
  );
  // The row's type column and its JSON payload were written together by emitEvent: they match.
  return rows.map(
    (r) =>
      ({
        id: r.id,
        seq: r.seq,
        type: r.type as EventType,
        departmentIds: r.department_ids,
        payload: r.payload,
        actorId: r.actor_id,
        createdAt: new Date(r.created_at),
      }) as EventRecord,
  );
}

/** The newest committed position: where a live-only subscription starts. */
export async function streamHead(db: Queryable): Promise<EventCursor> {
  const { rows } = await db.query<{ seq: string | null }>(`select max(seq)::text as seq from event`);
  return rows[0].seq ? { seq: rows[0].seq } : STREAM_START;
}
