/** The roles an account can hold (design §6). Registered with GraphQL by modules/auth/roles.ts. */
export enum Role {
  ADMIN = 'ADMIN',
  SECURITY_ADMIN = 'SECURITY_ADMIN',
  AUDITOR = 'AUDITOR',
  STAFF = 'STAFF',
  HEAD = 'HEAD',
  OFFICER = 'OFFICER',
  WITNESS = 'WITNESS',
  OVERSIGHT = 'OVERSIGHT',
}

/** 三员: 系统管理员, 安全管理员, 审计管理员 — each held alone, never with a business role. */
export const ADMIN_ROLES: readonly Role[] = [Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR];

/** Roles that work with the registries and plans day to day. */
export const STAFF_ROLES = [Role.STAFF, Role.HEAD, Role.OFFICER] as const;

/** Names people read (errors, the audit page). */
export const ROLE_NAMES: Record<Role, string> = {
  ADMIN: '系统管理员',
  SECURITY_ADMIN: '安全管理员',
  AUDITOR: '审计管理员',
  STAFF: '业务人员',
  HEAD: '部门负责人',
  OFFICER: '执法人员',
  WITNESS: '监督见证人',
  OVERSIGHT: '双随机工作机构（统计监督）',
};

/** Why an account may not hold these roles together (三员分立), or null. */
export function roleSetRefusal(roles: readonly Role[]): string | null {
  const admin = roles.filter((r) => ADMIN_ROLES.includes(r));
  if (admin.length > 1) return `三员分立：${admin.map((r) => ROLE_NAMES[r]).join('、')}不能由同一账号担任`;
  if (admin.length === 1 && roles.length > 1) return `三员分立：${ROLE_NAMES[admin[0]]}不能同时担任业务角色`;
  return null;
}
