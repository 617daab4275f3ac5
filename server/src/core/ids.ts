import { BadInputError } from './errors.js';

/** GraphQL IDs are strings; ours are positive integers. Anything else is bad input, named. */
export function parseId(field: string, raw: string | number): number {
  const n = typeof raw === 'number' ? raw : /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647) throw new BadInputError(field, `“${raw}”不是有效的编号`);
  return n;
}

export function parseIds(field: string, raws: readonly (string | number)[]): number[] {
  return raws.map((raw) => parseId(field, raw));
}

/** A UUID in its canonical 8-4-4-4-12 form (draws, sessions, import jobs): what PostgreSQL's uuid accepts. */
export function isUuid(raw: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw);
}

/** A UUID argument; anything else is bad input, named. */
export function parseUuid(field: string, raw: string): string {
  if (!isUuid(raw)) throw new BadInputError(field, `“${raw.slice(0, 40)}”不是有效的编号`);
  return raw;
}

/** A client's idempotency key (kept unchanged across retries of one operation): 8 to 128 characters. */
export function checkIdempotencyKey(key: string | null | undefined): string | null {
  if (key == null) return null;
  if (key.length < 8 || key.length > 128) throw new BadInputError('idempotencyKey', '长度应在 8 到 128 个字符之间');
  return key;
}
