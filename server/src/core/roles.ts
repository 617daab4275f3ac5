/** The roles an account can hold (design §6). Registered with GraphQL by modules/auth/roles.ts. */
export enum Role {
  ADMIN = 'ADMIN',
  STAFF = 'STAFF',
  HEAD = 'HEAD',
  OFFICER = 'OFFICER',
  WITNESS = 'WITNESS',
  AUDITOR = 'AUDITOR',
}

/** Roles that work with the registries and plans day to day. */
export const STAFF_ROLES = [Role.ADMIN, Role.STAFF, Role.HEAD, Role.OFFICER, Role.AUDITOR] as const;
