import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, OperationTypeNode, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { HubConfig } from '../config.js';
import type { Orm } from '../db/orm.js';
import { logger } from '../logger.js';
import { invalidSessions, SESSION_CHANNEL } from '../modules/auth/session.service.js';
import { tokenFromHeader, TokenService } from '../modules/auth/token.service.js';
import { planRoutes } from '../modules/plans/plan.routes.js';
import { attachmentRoutes } from '../modules/attachments/attachment.routes.js';
import { openBlobStore } from '../modules/attachments/blob-store.js';
import { recordRoutes } from '../modules/records/record.routes.js';
import { archiveRoutes } from '../modules/archive/archive.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { statisticsRoutes } from '../modules/reporting/statistics.routes.js';
import { appendAudit, type AuditFields, inputDigest, keyMismatch } from '../modules/audit/audit.service.js';
import { loadAuditKey } from '../modules/audit/audit-key.js';
import { EventBus } from '../modules/events/event-bus.js';
import { ImportKind } from '../modules/imports/import-job.entity.js';
import { ImportJobs } from '../modules/imports/import-job.service.js';
import { tableImportRunner } from '../modules/imports/table-import.js';
import { planImportRunner } from '../modules/plans/import/plan-import.service.js';
import { enterpriseImport } from '../modules/registry/import/enterprise-import.js';
import { officerImport } from '../modules/registry/import/officer-import.js';
import { importRoutes } from '../modules/imports/import.routes.js';
import { publicationRoutes } from '../modules/publication/publication.routes.js';
import { BadInputError, DomainError, sendDomainError, UnauthenticatedError } from '../core/errors.js';
import type { Viewer } from '../core/viewer.js';
import { requireViewer, type RootFieldKind } from './auth.js';
import { createContext, type HubContext, type HubServices } from './context.js';
import { CLOSE_TRY_AGAIN, isDatabaseUnavailable, toClientError, toGraphQLError, UNAVAILABLE_MESSAGE } from './errors.js';
import { ANONYMOUS_LIMITS, checkLength, limitRules, parseWithinLimits, SIGNED_IN_LIMITS } from './limits.js';
import { hubSchema } from './schema.js';
import { serveClient } from './static-client.js';

/** Most subscriptions one WebSocket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;
/** Largest WebSocket message or HTTP body accepted. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface Hub {
  httpServer: http.Server;
  services: HubServices;
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  port: number;
  close(): Promise<void>;
}

type RecordAudit = (fields: Omit<AuditFields, 'at'>) => Promise<void>;

/**
 * Resolves the viewer of a token; a bad token becomes an error to raise on non-public fields.
 * Every call made with a reporting token is audited (useApiToken), whatever it asks for.
 */
async function viewerFor(
  tokens: TokenService,
  orm: Orm,
  header: unknown,
  recordAudit: RecordAudit,
): Promise<{ viewer: Viewer | null; authError: DomainError | null }> {
  const token = tokenFromHeader(header);
  if (!token) return { viewer: null, authError: null };
  try {
    const viewer = await tokens.authenticate(orm.em.fork(), token);
    if (viewer.apiTokenId != null) {
      await recordAudit({
        actorId: viewer.userId,
        departmentId: viewer.departmentId,
        operation: 'useApiToken',
        target: `apiToken=${viewer.apiTokenId}`,
        success: true,
        errorCode: null,
        inputDigest: inputDigest({ apiToken: viewer.apiTokenId }),
      });
    }
    return { viewer, authError: null };
  } catch (error) {
    if (error instanceof DomainError) return { viewer: null, authError: error };
    throw error;
  }
}

/**
 * viewerFor on a WebSocket: with the database away, the socket is closed with 1013 (clients retry
 * it and resume with `after`) and null comes back; any other failure is thrown.
 */
async function socketViewerFor(tokens: TokenService, orm: Orm, header: unknown, socket: WebSocket, recordAudit: RecordAudit) {
  return viewerFor(tokens, orm, header, recordAudit).catch((error: unknown) => {
    if (!isDatabaseUnavailable(error)) throw error;
    socket.close(CLOSE_TRY_AGAIN, 'database unavailable: retry later');
    return null;
  });
}

function logInternal(error: unknown) {
  logger.error({ err: error }, 'unexpected error in GraphQL operation');
}

type SocketExtra = {
  viewer?: Viewer;
  token?: unknown;
  subscriptions?: Set<string>;
};

/**
 * GraphQL over HTTP and WebSocket on one port, plus /healthz and the built client.
 * The WebSocket path gets the same authentication, depth limit and error masking as HTTP.
 */
export async function startHub(orm: Orm, config: HubConfig, databaseUrl: string): Promise<Hub> {
  const schema = await hubSchema();
  const auditKey = await loadAuditKey(config);
  const events = await EventBus.start(databaseUrl);
  const mismatch = await keyMismatch(events.pool, auditKey);
  if (mismatch) {
    await events.stop();
    throw new Error(`${mismatch}：请为各实例设置同一个 AUDIT_KEY（或恢复 DATA_DIR/audit.key），见 docs/deploy.md`);
  }
  const tokens = await TokenService.create(orm.em.fork(), config.tokenTtlSeconds, config.tokenSecret);
  const imports = new ImportJobs(() => orm.em.fork(), databaseUrl, {
    [ImportKind.ENTERPRISE]: tableImportRunner(enterpriseImport),
    [ImportKind.OFFICER]: tableImportRunner(officerImport),
    [ImportKind.PLAN]: planImportRunner,
  });
  await imports.failInterrupted();
  const blobs = openBlobStore(config.blobStore);
  logger.info({ store: blobs.description }, 'evidence store');
  const services: HubServices = {
    tokens,
    events,
    imports,
    auditKey,
    blobs,
    publicUrl: config.publicUrl,
    fork: () => orm.em.fork(),
  };
  /** The audit entry of a non-GraphQL operation (upload, export), in its own transaction. */
  const recordAudit = (fields: Omit<AuditFields, 'at'>) => appendAudit(orm.em.fork(), auditKey, fields);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  // The database went away: every subscriber is told to come back later (1013, which graphql-ws
  // clients retry) and resumes with `after` once it is back, so nothing is missed meanwhile.
  events.onConnectionLost(() => {
    for (const socket of wsServer.clients) socket.close(CLOSE_TRY_AGAIN, 'database unavailable: retry later');
  });
  const sessions = await sessionSockets(events, orm);
  const wsCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      // Only signed-in accounts reach the WebSocket (onConnect): their limits, as on HTTP.
      validate: (s, document) =>
        // Coded as Apollo codes them on HTTP, so the client reads the same error on both paths.
        validate(s, document, [...specifiedRules, ...limitRules(SIGNED_IN_LIMITS)]).map(
          (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } }),
        ),
      onConnect: async (ctx) => {
        const found = await socketViewerFor(tokens, orm, ctx.connectionParams?.authorization, ctx.extra.socket, recordAudit);
        if (!found) return false;
        const { viewer, authError } = found;
        if (!viewer) {
          // 4401: the client should log in again (expired or missing token).
          ctx.extra.socket.close(4401, authError ? 'Unauthorized: token invalid or expired' : 'Unauthorized: token required');
          return false;
        }
        Object.assign(ctx.extra, { viewer, token: ctx.connectionParams?.authorization, subscriptions: new Set<string>() });
        sessions.add(viewer.sessionId, ctx.extra.socket);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        // The text's size and tokens first: the parser stops at the limit instead of building a huge tree.
        try {
          parseWithinLimits(payload.query, SIGNED_IN_LIMITS);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        // Re-check the account on every operation: a disabled account or expired token stops here.
        const found = await socketViewerFor(tokens, orm, ctx.extra.token, ctx.extra.socket, recordAudit);
        if (!found) return [new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
        const { viewer, authError } = found;
        if (!viewer) return [toGraphQLError(authError ?? new UnauthenticatedError())];
        ctx.extra.viewer = viewer;
        const subscriptions = ctx.extra.subscriptions!;
        if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return [
            toGraphQLError(
              new DomainError('BAD_USER_INPUT', `每个连接最多同时订阅 ${MAX_SUBSCRIPTIONS_PER_SOCKET} 项`, { field: 'subscribe' }),
            ),
          ];
        }
        subscriptions.add(id);
      },
      onComplete: (ctx, id) => {
        ctx.extra.subscriptions?.delete(id);
      },
      context: (ctx): HubContext =>
        createContext(services, ctx.extra.viewer ?? null, null, {
          ip: ctx.extra.request.socket.remoteAddress,
          userAgent: ctx.extra.request.headers['user-agent'],
        }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => toClientError(e.toJSON(), e, logInternal)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toClientError(e.toJSON(), e, logInternal)),
    },
    wsServer,
  );

  const apollo = new ApolloServer<HubContext>({
    schema,
    validationRules: limitRules(SIGNED_IN_LIMITS),
    // The parser stops at the token limit (anonymous callers are held to theirs below).
    parseOptions: { maxTokens: SIGNED_IN_LIMITS.tokens },
    // Explicit, whatever NODE_ENV says: signed-in callers (reporting tools) may introspect, anonymous ones may not (limitRules).
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => toClientError(formatted, error, logInternal),
    plugins: [
      // No HTTP caching of answers here, and its per-field hook would wrap every field of a list.
      ApolloServerPluginCacheControlDisabled(),
      {
        // Subscriptions are for the WebSocket (graphql-ws); over HTTP they are the caller's mistake.
        requestDidStart: () =>
          Promise.resolve({
            didResolveOperation: ({ operation, request, document, contextValue }) => {
              if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
                throw toGraphQLError(new BadInputError('query', '订阅须通过 WebSocket（graphql-ws 协议）连接 /graphql'));
              }
              // Every caller's text is held to its length limit (the parser's token limit does not count comments);
              // anonymous callers (the public pages) to tighter limits, and no introspection.
              checkLength(request.query ?? '', contextValue.viewer ? SIGNED_IN_LIMITS : ANONYMOUS_LIMITS);
              if (!contextValue.viewer) {
                parseWithinLimits(request.query ?? '', ANONYMOUS_LIMITS);
                const [refused] = validate(schema, document, limitRules(ANONYMOUS_LIMITS));
                if (refused)
                  throw new GraphQLError(refused.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
              }
              return Promise.resolve();
            },
            // The database is away: 503, so a load balancer or client retries rather than gives up.
            willSendResponse: ({ response }) => {
              const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
              if (errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
              return Promise.resolve();
            },
          }),
      },
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        serverWillStart: () => Promise.resolve({ drainServer: async () => wsCleanup.dispose() }),
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.status(200).json({ status: 'ok', database: 'ok' });
    } catch (err) {
      logger.warn({ err }, 'health check: database unavailable');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  // An HTTP route's viewer by the same rule as a GraphQL operation of that kind (auth.ts requireViewer).
  const routeViewer =
    (kind: RootFieldKind) =>
    async (header: unknown): Promise<Viewer> => {
      const { viewer, authError } = await viewerFor(tokens, orm, header, recordAudit);
      requireViewer(kind, { viewer, authError });
      return viewer!;
    };

  app.use(importRoutes(imports, routeViewer({}), recordAudit));

  app.use(publicationRoutes(orm));

  app.use(auditRoutes(orm, routeViewer({ admin: true }), recordAudit));

  app.use(planRoutes(orm, routeViewer({}), recordAudit));

  app.use(attachmentRoutes({ fork: services.fork, store: blobs, auditKey, authenticate: routeViewer({}), recordAudit }));

  app.use(archiveRoutes({ fork: services.fork, authenticate: routeViewer({}), recordAudit }));

  app.use(
    statisticsRoutes({
      fork: services.fork,
      authenticate: routeViewer({}),
      authenticateReporting: routeViewer({ reporting: true }),
      recordAudit,
      exportRowCap: config.exportRowCap,
    }),
  );

  app.use(recordRoutes({ fork: services.fork, store: blobs, publicUrl: config.publicUrl, authenticate: routeViewer({}), recordAudit }));

  app.use(
    '/graphql',
    express.json({ limit: MAX_MESSAGE_BYTES }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const { viewer, authError } = await viewerFor(tokens, orm, req.headers.authorization, recordAudit).catch((error: unknown) => {
          if (!isDatabaseUnavailable(error)) throw error;
          throw new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
        });
        return createContext(services, viewer, authError, { ip: req.ip, userAgent: req.headers['user-agent'] });
      },
    }),
  );

  serveClient(app, config.clientDir);

  // Anything a route did not handle: logged here, a generic answer there, never a stack trace.
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The body parser's refusals are the caller's to fix: malformed JSON (400), too large (413).
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed' && !res.headersSent) {
      return sendDomainError(res, new BadInputError('body', '请求体不是有效的 JSON'));
    }
    if (type === 'entity.too.large' && !res.headersSent) {
      res
        .status(413)
        .json({ error: { code: 'BAD_USER_INPUT', field: 'body', message: `请求体超过 ${MAX_MESSAGE_BYTES / 1024 / 1024} MB` } });
      return;
    }
    if (isDatabaseUnavailable(err) && !res.headersSent) {
      res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: UNAVAILABLE_MESSAGE } });
      return;
    }
    logger.error({ err }, 'unhandled error in HTTP route');
    if (!res.headersSent)
      res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: '服务器内部错误，请稍后重试或联系管理员' } });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port }, 'hub listening');

  let closing: Promise<void> | undefined;
  return {
    httpServer,
    services,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closing ??= (async () => {
        sessions.stop();
        await apollo.stop();
        await imports.stop();
        await events.stop();
      })()),
  };
}

/** How often open WebSockets are checked against their sessions (idle ones end; a missed signal is caught). */
const SESSION_SWEEP_MS = 60_000;

/**
 * Open WebSockets by session. A session ended anywhere (logout, revoked, disabled, password
 * reset) is announced on SESSION_CHANNEL and its sockets close at once with 4401; a sweep ends
 * the idle ones and catches a signal missed while the listener reconnected.
 */
async function sessionSockets(events: EventBus, orm: Orm) {
  const bySession = new Map<string, Set<WebSocket>>();
  const close = (sessionId: string) => {
    for (const socket of bySession.get(sessionId) ?? []) socket.close(4401, 'Unauthorized: session ended');
    bySession.delete(sessionId);
  };
  await events.watch(SESSION_CHANNEL, close);
  const sweep = setInterval(() => {
    invalidSessions(orm.em.fork(), [...bySession.keys()])
      .then((ended) => ended.forEach(close))
      .catch((err: unknown) => logger.warn({ err }, 'session sweep failed; will retry'));
  }, SESSION_SWEEP_MS);
  sweep.unref();
  return {
    add(sessionId: string | null, socket: WebSocket) {
      if (!sessionId) return;
      const sockets = bySession.get(sessionId) ?? new Set();
      sockets.add(socket);
      bySession.set(sessionId, sockets);
      socket.once('close', () => {
        sockets.delete(socket);
        if (sockets.size === 0 && bySession.get(sessionId) === sockets) bySession.delete(sessionId);
      });
    },
    stop: () => clearInterval(sweep),
  };
}
