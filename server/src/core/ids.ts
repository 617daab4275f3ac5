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
