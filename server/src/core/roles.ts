/** The roles an account can hold (design §6). Registered with GraphQL by modules/auth/roles.ts. */
export enum Role {
  ADMIN = 'ADMIN',
  STAFF = 'STAFF',
  HEAD = 'HEAD',
  OFFICER = 'OFFICER',
  WITNESS = 'WITNESS',
  AUDITOR = 'AUDITOR',
}
