import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { FindingInput, InspectionDetailQuery } from '../gql/graphql';

/** The server's side of a conflict: the finding as it is now, for the officer to compare. */
export interface ServerFinding {
  version: number;
  results: string[];
  problemKinds: string[];
  followUp: string;
  followUpDeadline?: string | null;
  method: string;
  notes?: string | null;
  officer: string;
}

/** A result recorded without a connection, waiting to be sent; `key` is its idempotency key. */
export interface QueuedFinding {
  key: string;
  kind: 'finding';
  inspectionId: string;
  itemId: string;
  /** As the server takes it: `version` is the one the officer's change was based on. */
  input: FindingInput;
  queuedAt: number;
  /** Set when the server had a newer version: the officer chooses between the two. */
  conflict?: ServerFinding;
  /** Set when the server refused it for good (the visit was submitted meanwhile, say). */
  refusal?: string;
}

/** A photo or document taken without a connection. */
export interface QueuedFile {
  key: string;
  kind: 'file';
  inspectionId: string;
  /** The item whose finding it belongs to (its id is known only once the finding is on the server), or null for the visit. */
  itemId: string | null;
  reason?: string;
  fileName: string;
  blob: Blob;
  queuedAt: number;
}

export type QueuedChange = QueuedFinding | QueuedFile;

interface OfflineSchema extends DBSchema {
  /** The officer's visits as last read: what the visit page shows without a connection. */
  visits: { key: string; value: { id: string; savedAt: number; data: InspectionDetailQuery } };
  queue: { key: string; value: QueuedChange; indexes: { byInspection: string } };
}

let opened: Promise<IDBPDatabase<OfflineSchema>> | undefined;

function db() {
  opened ??= openDB<OfflineSchema>('hub-offline', 1, {
    upgrade(database) {
      database.createObjectStore('visits', { keyPath: 'id' });
      database.createObjectStore('queue', { keyPath: 'key' }).createIndex('byInspection', 'inspectionId');
    },
  });
  return opened;
}

/** Listeners of the queue (the header's count, the visit page). */
const listeners = new Set<() => void>();
export function onQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function changed() {
  listeners.forEach((listener) => listener());
}

export async function saveVisit(id: string, data: InspectionDetailQuery): Promise<void> {
  await (await db()).put('visits', { id, savedAt: Date.now(), data });
}

export async function loadVisit(id: string): Promise<InspectionDetailQuery | null> {
  return (await (await db()).get('visits', id))?.data ?? null;
}

/** Every visit kept on the device, soonest agreed first (the offline 我的检查). */
export async function keptVisits(): Promise<InspectionDetailQuery['inspection'][]> {
  const rows = await (await db()).getAll('visits');
  return rows.map((r) => r.data.inspection).sort((a, b) => (a.scheduledAt ?? '9999').localeCompare(b.scheduledAt ?? '9999'));
}

export async function enqueue(change: QueuedChange): Promise<void> {
  await (await db()).put('queue', change);
  changed();
}

export async function queued(inspectionId?: string): Promise<QueuedChange[]> {
  const database = await db();
  const rows = inspectionId ? await database.getAllFromIndex('queue', 'byInspection', inspectionId) : await database.getAll('queue');
  return rows.sort((a, b) => a.queuedAt - b.queuedAt);
}

export async function dequeue(key: string): Promise<void> {
  await (await db()).delete('queue', key);
  changed();
}

/** A new idempotency key: the same change sent twice is applied once. */
export function newKey(): string {
  return `offline-${crypto.randomUUID()}`;
}

/** The officer's device is offline, or the hub cannot be reached (a network error, not a refusal). */
export function isNetworkFailure(error: { networkError?: Error; graphQLErrors?: unknown[] } | undefined): boolean {
  return Boolean(error?.networkError && !error.graphQLErrors?.length) || !navigator.onLine;
}
