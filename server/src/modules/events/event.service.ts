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

/** Position in the event stream: (writing transaction, id). Opaque to clients. */
export interface EventCursor {
  tx: string;
  id: string;
}

const INT64_MAX = 2n ** 63n - 1n;

export const STREAM_START: EventCursor = { tx: '0', id: '0' };

export function encodeEventCursor(c: EventCursor): string {
  return Buffer.from(`${c.tx}.${c.id}`).toString('base64url');
}

export function decodeEventCursor(raw: string): EventCursor {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw new BadInputError('after', '无效，请使用收到的最后一个事件的 cursor');
  // Canonical form (no leading zeros), as the database writes them: compareCursors relies on it.
  const [tx, id] = [BigInt(match[1]), BigInt(match[2])];
  if (tx > INT64_MAX || id > INT64_MAX) throw new BadInputError('after', '无效，请使用收到的最后一个事件的 cursor');
  return { tx: tx.toString(), id: id.toString() };
}

/** Two non-negative integers written in canonical decimal (no leading zeros): shorter is smaller, then by text. */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders cursors by (tx, id). Runs per subscriber per event, so it compares text, not BigInts. */
export function compareCursors(a: EventCursor, b: EventCursor): number {
  return compareDecimal(a.tx, b.tx) || compareDecimal(a.id, b.id);
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
  tx: string;
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
 * Reads events after a cursor, in (tx, id) order, and only from transactions older than the
 * oldest one still running: a transaction that took its id early but commits late is never
 * skipped, it is only held back until everything before it has finished.
 */
export async function readEvents(db: Queryable, options: ReadEventsOptions): Promise<EventRecord[]> {
  const { rows } = await db.query<EventRow>(
    // Qualified: a bare "order by tx" would sort by the text column of the same name in the select
    // list ('1007' before '995'), and a page cut at the limit could then skip events.
    `select e.id::text as id, e.tx::text as tx, e.type, e.department_ids, e.payload, e.actor_id, e.created_at
       from event e
      where (e.tx, e.id) > ($1::xid8, $2::bigint)
        and e.tx < pg_snapshot_xmin(pg_current_snapshot())
        and ($3::text[] is null or e.type = any($3::text[]))
        and ($4::int is null or cardinality(e.department_ids) = 0 or e.department_ids @> array[$4::int])
      order by e.tx, e.id
      limit $5`,
    [options.after.tx, options.after.id, options.types ?? null, options.departmentId ?? null, options.limit],
  );
  // The row's type column and its JSON payload were written together by emitEvent: they match.
  return rows.map(
    (r) =>
      ({
        id: r.id,
        tx: r.tx,
        type: r.type as EventType,
        departmentIds: r.department_ids,
        payload: r.payload,
        actorId: r.actor_id,
        createdAt: new Date(r.created_at),
      }) as EventRecord,
  );
}

/** Whether an event after the cursor exists but is held back by a transaction still running. */
export async function hasHeldBackEvents(db: Queryable, after: EventCursor): Promise<boolean> {
  const { rows } = await db.query<{ held: boolean }>(
    `select exists(select 1 from event where (tx, id) > ($1::xid8, $2::bigint)
                     and tx >= pg_snapshot_xmin(pg_current_snapshot())) as held`,
    [after.tx, after.id],
  );
  return rows[0].held;
}

/** The newest position every reader can already see: where a live-only subscription starts. */
export async function streamHead(db: Queryable): Promise<EventCursor> {
  const { rows } = await db.query<{ tx: string; id: string }>(
    `select e.tx::text as tx, e.id::text as id from event e
      where e.tx < pg_snapshot_xmin(pg_current_snapshot())
      order by e.tx desc, e.id desc limit 1`,
  );
  return rows[0] ?? STREAM_START;
}
