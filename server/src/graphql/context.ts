import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainError } from '../core/errors.js';
import type { BlobStore } from '../modules/attachments/blob-store.js';
import type { Viewer } from '../core/viewer.js';
import type { ClientInfo } from '../modules/auth/session.service.js';
import type { TokenService } from '../modules/auth/token.service.js';
import type { EventBus } from '../modules/events/event-bus.js';
import type { ImportJobs } from '../modules/imports/import-job.service.js';
import { Loaders } from './loaders.js';

/** Process-wide services handed to every request. */
export interface HubServices {
  tokens: TokenService;
  events: EventBus;
  imports: ImportJobs;
  /** Signs the audit chain (audit-key.ts). */
  auditKey: Buffer;
  /** Where evidence files live (attachments/blob-store.ts). */
  blobs: BlobStore;
  /** The hub's address as staff reach it (links printed on records). */
  publicUrl: string;
  /** A fresh EntityManager fork (the identity map of one unit of work). */
  fork: () => EntityManager;
}

export interface HubContext {
  /** A fork for this request (HTTP) or this operation (WebSocket). */
  readonly em: EntityManager;
  viewer: Viewer | null;
  /** Why a presented token was refused; raised on the first non-public field. */
  authError: DomainError | null;
  /** Where the request comes from (recorded with a login's session). */
  client: ClientInfo;
  services: HubServices;
  /**
   * Batch loaders for field resolvers: one registry per HTTP request; in a subscription, the
   * registry of the event being delivered (shared by every subscriber of it, see live.ts).
   */
  loaders: Loaders;
}

/**
 * A context whose EntityManager fork and loaders are made on first use: a WebSocket holds a
 * context per subscription for hours, and most of them never touch either between events.
 */
export function createContext(
  services: HubServices,
  viewer: Viewer | null,
  authError: DomainError | null,
  client: ClientInfo = {},
): HubContext {
  let em: EntityManager | undefined;
  let loaders: Loaders | undefined;
  return {
    viewer,
    authError,
    client,
    services,
    get em() {
      em ??= services.fork();
      return em;
    },
    get loaders() {
      loaders ??= new Loaders(this.em);
      return loaders;
    },
    set loaders(value: Loaders) {
      loaders = value;
    },
  };
}
