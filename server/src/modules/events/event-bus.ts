import pg from 'pg';
import { DomainError, UnauthenticatedError } from '../../core/errors.js';
import { logger } from '../../logger.js';
import type { EventRecord, EventType, StreamFilter } from './event-types.js';
import {
  compareCursors,
  EVENT_CHANNEL,
  PROGRESS_CHANNEL,
  type ProgressSignal,
  type EventCursor,
  readEvents,
  streamHead,
} from './event.service.js';

/** A live subscriber falling this far behind is cut off; it resumes with `after` and loses nothing. */
const MAX_BACKLOG = 10_000;
const PAGE = 500;
const SAFETY_POLL_MS = 2_000;

/**
 * One per server process: a LISTEN connection wakes it, it reads new events from the table once
 * and hands each to the local subscribers allowed to see it. Events travel through PostgreSQL,
 * so any number of server instances on one database stay in step.
 */
export class EventBus {
  private listener: pg.Client | null = null;
  private readonly streams = new Set<EventStream>();
  private readonly progressWatchers = new Map<string, Set<ProgressStream>>();
  /** Other NOTIFY channels watched through this connection (e.g. ended sessions), with their listeners. */
  private readonly signals = new Map<string, Set<(payload: string) => void>>();
  /** Called when the database connection is lost (server.ts closes the WebSockets: clients resume with `after`). */
  private readonly lostListeners = new Set<() => void>();
  private fetching = false;
  private again = false;
  private stopped = false;
  private readonly safetyTimer: NodeJS.Timeout;

  private constructor(
    private readonly databaseUrl: string,
    readonly pool: pg.Pool,
    private head: EventCursor,
  ) {
    // NOTIFY is lost while the listener reconnects, and a transaction that ends without events
    // never notifies: a slow poll covers both.
    this.safetyTimer = setInterval(() => this.wake(), SAFETY_POLL_MS);
    this.safetyTimer.unref();
  }

  static async start(databaseUrl: string): Promise<EventBus> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    pool.on('error', (err) => logger.warn({ err }, 'event reader connection error'));
    const bus = new EventBus(databaseUrl, pool, await streamHead(pool));
    await bus.listen();
    return bus;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel === PROGRESS_CHANNEL) this.onProgress(message.payload);
      else if (message.channel === EVENT_CHANNEL) this.wake();
      else for (const listener of this.signals.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    const lost = (err?: Error) => {
      if (this.listener !== client || this.stopped) return;
      logger.warn({ err }, 'event listener connection lost; reconnecting');
      for (const listener of this.lostListeners) listener();
      this.listener = null;
      client.removeAllListeners('end');
      client.end().catch(() => {});
      setTimeout(() => this.reconnect(), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`listen ${EVENT_CHANNEL}`);
    await client.query(`listen ${PROGRESS_CHANNEL}`);
    for (const channel of this.signals.keys()) await client.query(`listen ${channel}`);
    this.listener = client;
    this.wake();
  }

  private reconnect(): void {
    if (this.stopped) return;
    this.listen().catch((err) => {
      logger.warn({ err }, 'event listener reconnect failed; retrying');
      setTimeout(() => this.reconnect(), 2000).unref();
    });
  }

  /** Something may have changed: read forward from the head. Calls while reading coalesce. */
  wake(): void {
    if (this.stopped) return;
    if (this.fetching) {
      this.again = true;
      return;
    }
    void this.fetchNew();
  }

  private async fetchNew(): Promise<void> {
    this.fetching = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const events = await readEvents(this.pool, { after: this.head, limit: PAGE });
          for (const event of events) {
            this.head = { seq: event.seq };
            for (const stream of this.streams) stream.offer(event);
          }
          if (events.length < PAGE) break;
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      if (!this.stopped) logger.warn({ err }, 'reading events failed; will retry');
    } finally {
      this.fetching = false;
    }
  }

  /**
   * Events after `after` (replayed from the table), then live ones; with no `after`, live only.
   * Each event is delivered once, in commit order.
   */
  stream<T extends EventType>(filter: StreamFilter<T>, after: EventCursor | null): AsyncIterableIterator<EventRecord<T>> {
    // The stream admits only events of the filter's types, so what it yields is of those types.
    const stream = new EventStream(this, filter as unknown as StreamFilter, after ?? this.head, after !== null, () =>
      this.streams.delete(stream),
    );
    this.streams.add(stream);
    return stream as AsyncIterableIterator<EventRecord<T>>;
  }

  private onProgress(payload: string | undefined): void {
    let signal: ProgressSignal;
    try {
      signal = JSON.parse(payload ?? '') as ProgressSignal;
    } catch {
      return;
    }
    for (const watcher of this.progressWatchers.get(signal.jobId) ?? []) watcher.offer(signal);
  }

  /**
   * Live progress of one import job. Progress is a transient signal (NOTIFY only), not an event:
   * an import runs in one long transaction, whose events are seen only when it commits.
   */
  progress(jobId: string): ProgressStream {
    const watchers = this.progressWatchers.get(jobId) ?? new Set<ProgressStream>();
    this.progressWatchers.set(jobId, watchers);
    const stream = new ProgressStream(() => {
      watchers.delete(stream);
      if (watchers.size === 0) this.progressWatchers.delete(jobId);
    });
    watchers.add(stream);
    return stream;
  }

  /**
   * Calls `listener` with the payload of every NOTIFY on `channel` (a plain identifier), from any
   * server instance. A signal sent while the connection is being re-established is missed: callers
   * that cannot miss one keep a slower check of their own (server.ts sweeps sessions).
   */
  async watch(channel: string, listener: (payload: string) => void): Promise<void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    const listeners = this.signals.get(channel) ?? new Set();
    const isNew = !this.signals.has(channel);
    listeners.add(listener);
    this.signals.set(channel, listeners);
    if (isNew) await this.listener?.query(`listen ${channel}`);
  }

  /** Calls `listener` each time the connection to the database is lost. */
  onConnectionLost(listener: () => void): void {
    this.lostListeners.add(listener);
  }

  /** Reads a page of visible events: the same reader the live path uses. */
  read(filter: Omit<StreamFilter, 'expiresAt'>, after: EventCursor, limit: number): Promise<EventRecord[]> {
    return readEvents(this.pool, { after, limit, types: filter.types, departmentId: filter.departmentId });
  }

  get subscriberCount(): number {
    return this.streams.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.safetyTimer);
    for (const stream of [...this.streams]) stream.close();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
    await this.pool.end();
  }
}

/**
 * An async iterator fed by pushes (offer) and ended by the consumer (return). Written by hand
 * rather than as an async generator so that `return()` — the client unsubscribing — ends it at
 * once even while it waits.
 */
abstract class PushStream<T> implements AsyncIterableIterator<T> {
  protected done = false;
  private waiter: (() => void) | null = null;

  constructor(private readonly onClose: () => void) {}

  /** The next value ready to hand out, null to wait for a push; may throw to end the stream. */
  protected abstract take(): Promise<T | null>;

  async next(): Promise<IteratorResult<T>> {
    while (!this.done) {
      const value = await this.take();
      if (value !== null) return { done: false, value };
      if (this.done) break;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      this.waiter = null;
    }
    return { done: true, value: undefined };
  }

  /** Wakes a waiting `next()`. */
  protected notify(): void {
    this.waiter?.();
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ done: true, value: undefined });
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    this.notify();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** One subscriber's events: the replay from its cursor, then the live ones, each once. */
class EventStream extends PushStream<EventRecord> {
  private replay: EventRecord[] = [];
  private live: EventRecord[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly filter: StreamFilter,
    private last: EventCursor,
    private replaying: boolean,
    onClose: () => void,
  ) {
    super(onClose);
  }

  /** Called by the bus for every new event; keeps the ones this reader may see. */
  offer(event: EventRecord): void {
    if (this.done) return;
    const { departmentId, types } = this.filter;
    if (types && !types.includes(event.type)) return;
    if (departmentId !== null && event.departmentIds.length > 0 && !event.departmentIds.includes(departmentId)) return;
    if (this.filter.match && !this.filter.match(event)) return;
    if (this.live.length >= MAX_BACKLOG) {
      this.failure = new DomainError('CONFLICT', '事件积压过多，订阅已中断；请用最后收到的 cursor 作为 after 重新订阅');
    } else {
      this.live.push(event);
    }
    this.notify();
  }

  protected async take(): Promise<EventRecord | null> {
    for (;;) {
      if (this.failure) {
        const failure = this.failure;
        this.close();
        throw failure;
      }
      if (this.filter.expiresAt * 1000 < Date.now()) {
        this.close();
        throw new UnauthenticatedError('登录凭证已过期，请重新登录后用 after 续订');
      }
      const replayed = this.replay.shift();
      if (replayed) {
        if (this.filter.match && !this.filter.match(replayed)) {
          this.last = { seq: replayed.seq };
          continue;
        }
        return this.deliver(replayed);
      }
      if (this.replaying) {
        this.replay = await this.bus.read(this.filter, this.last, PAGE);
        if (this.replay.length < PAGE) this.replaying = false;
        continue;
      }
      const event = this.live.shift();
      if (!event) return null;
      // The replay may already have delivered it.
      if (compareCursors(event, this.last) > 0) return this.deliver(event);
    }
  }

  private deliver(event: EventRecord): EventRecord {
    this.last = { seq: event.seq };
    return event;
  }
}

/** Keeps only the newest progress signal: a slow reader skips to the latest figures. */
export class ProgressStream extends PushStream<ProgressSignal> {
  private latest: ProgressSignal | null = null;

  offer(signal: ProgressSignal): void {
    if (this.done) return;
    // Signals come through a pool, so a late progress line can arrive after the end: the end stays.
    if (this.latest?.phase === 'done') return;
    this.latest = signal;
    this.notify();
  }

  protected take(): Promise<ProgressSignal | null> {
    const signal = this.latest;
    this.latest = null;
    // The final signal is delivered, then the stream ends.
    if (signal?.phase === 'done') queueMicrotask(() => this.close());
    return Promise.resolve(signal);
  }
}
