import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ForbiddenError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';

/** The password and session policy, set by the 安全管理员 and shared by every server instance (app_setting). */
export interface SecurityPolicy {
  /** A session with no request for this long ends (server and client). */
  idleMinutes: number;
  passwordMinLength: number;
}

export const POLICY_KEY = 'security_policy';

export const POLICY_LIMITS = { idleMinutes: [5, 480], passwordMinLength: [8, 64] } as const;

/** The default when the 安全管理员 has set nothing: 30 minutes (SESSION_IDLE_MINUTES), 8 characters. */
export function defaultPolicy(): SecurityPolicy {
  const idle = Number(process.env.SESSION_IDLE_MINUTES ?? 30);
  return { idleMinutes: Number.isInteger(idle) && idle > 0 ? idle : 30, passwordMinLength: 8 };
}

export async function readPolicy(em: EntityManager): Promise<SecurityPolicy> {
  const [row] = await em
    .getConnection()
    .execute<{ value: string }[]>('select value from app_setting where key = ?', [POLICY_KEY], 'all', em.getTransactionContext());
  return { ...defaultPolicy(), ...(row ? (JSON.parse(row.value) as Partial<SecurityPolicy>) : {}) };
}

/** SQL for the idle limit in minutes, read where it is used (no cache to go stale across instances). */
export function idleMinutesSql(): string {
  return `coalesce((select (value::jsonb->>'idleMinutes')::int from app_setting where key = '${POLICY_KEY}'), ${defaultPolicy().idleMinutes})`;
}

export async function setSecurityPolicy(em: EntityManager, viewer: Viewer, input: Partial<SecurityPolicy>): Promise<SecurityPolicy> {
  if (!hasRole(viewer, Role.SECURITY_ADMIN)) throw new ForbiddenError('只有安全管理员可以设定密码与会话策略');
  for (const [field, [min, max]] of Object.entries(POLICY_LIMITS)) {
    const value = input[field as keyof SecurityPolicy];
    if (value != null && (!Number.isInteger(value) || value < min || value > max))
      throw new BadInputError(field, `应为 ${min} 到 ${max} 之间的整数`);
  }
  const policy = { ...(await readPolicy(em)), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v != null)) };
  await em
    .getConnection()
    .execute('insert into app_setting (key, value) values (?, ?) on conflict (key) do update set value = excluded.value', [
      POLICY_KEY,
      JSON.stringify(policy),
    ]);
  return policy;
}
