/** Escapes LIKE wildcards so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A PostgreSQL array literal of numbers or plain codes (no commas, quotes or braces), for `?::int[]` / `?::text[]`. */
export function pgArray(values: readonly (number | string)[]): string {
  return `{${values.join(',')}}`;
}
