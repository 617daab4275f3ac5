import { logger } from '../logger.js';
import { appendAudit, inputDigest } from '../modules/audit/audit.service.js';
import { normalizeUsername } from '../modules/auth/auth.service.js';
import type { HubContext } from './context.js';
import { errorCodeOf } from './errors.js';

/** Argument names that identify what a mutation acts on, in order of preference. */
const TARGET_KEYS = ['id', 'drawId', 'inspectionId', 'findingId', 'officerId', 'taskIds', 'username'];

/** The target as stored: never a control character (PostgreSQL refuses NUL in text, and the entry must be written). */
function targetOf(args: Record<string, unknown>): string {
  // eslint-disable-next-line no-control-regex
  return rawTargetOf(args).replace(/[\u0000-\u001F\u007F]/g, '\uFFFD');
}

function rawTargetOf(args: Record<string, unknown>): string {
  // A creation names its object inside its input (createUser, createDepartment).
  const input = args.input as Record<string, unknown> | undefined;
  if (!args.id && input && typeof input === 'object') {
    for (const key of ['username', 'code']) if (typeof input[key] === 'string') return `${key}=${input[key]}`.slice(0, 255);
  }
  for (const key of TARGET_KEYS) {
    // A user name as login reads it, so failed logins count against the account they aim at.
    const value = key === 'username' && typeof args[key] === 'string' ? normalizeUsername(args[key]) : args[key];
    if (value !== undefined && value !== null)
      return `${key}=${Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value)}`.slice(0, 255);
  }
  return '';
}

/**
 * Every mutation, successful or refused, leaves an audit entry: who, which department, what, on
 * what, the outcome and a digest of the input. A mutation runs in one transaction with its entry:
 * the request's EntityManager is in that transaction (services' own transactions nest in it as
 * savepoints), the entry is appended last and both commit together — an entry that cannot be
 * written fails the mutation, and no change stands without its entry. A refusal or failure rolls
 * the change back and is recorded in a transaction of its own. Wraps the whole resolver, so a
 * refusal by role (@Authorized) or by login is recorded as well.
 */
export async function audited(context: HubContext, operation: string, args: Record<string, unknown>, run: () => unknown): Promise<unknown> {
  const entry = (success: boolean, errorCode: string | null, actorFromResult?: number) => ({
    actorId: context.viewer?.userId ?? actorFromResult ?? null,
    departmentId: context.viewer?.departmentId ?? null,
    operation,
    target: targetOf(args),
    success,
    errorCode,
    inputDigest: inputDigest(args),
  });
  const em = context.em;
  await em.begin();
  try {
    const result = await run();
    // A login has no viewer yet: the account it opened is the actor.
    const loggedIn = (result as { user?: { id?: number } } | null)?.user?.id;
    await appendAudit(em, context.services.auditKey, entry(true, null, typeof loggedIn === 'number' ? loggedIn : undefined));
    await em.commit();
    return result;
  } catch (error) {
    if (em.isInTransaction()) await em.rollback().catch((err: unknown) => logger.warn({ err, operation }, 'rollback failed'));
    // What the rolled-back work left in the identity map must not reach a later flush.
    em.clear();
    try {
      await appendAudit(context.services.fork(), context.services.auditKey, entry(false, errorCodeOf(error)));
    } catch (err) {
      logger.error({ err, operation }, 'could not write the audit entry of a refused mutation');
    }
    throw error;
  }
}
