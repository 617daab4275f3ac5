import type pg from 'pg';

/** Name → id, with the variants people write (泽州 / 泽州县, 晋城市城区 / 城区, codes). */
export interface Lookup {
  get(text: string): number | undefined;
  names: string[];
}

function lookup(entries: [string, number][], names: string[]): Lookup {
  const map = new Map(entries.map(([k, v]) => [k.replace(/\s/g, ''), v]));
  return { get: (text) => map.get(text.replace(/\s/g, '')), names };
}

export async function regionLookup(db: pg.ClientBase): Promise<Lookup> {
  const { rows } = await db.query<{ id: number; code: string; name: string }>('select id, code, name from region');
  const entries: [string, number][] = [];
  for (const r of rows) {
    entries.push([r.name, r.id], [r.code, r.id], [`晋城市${r.name}`, r.id]);
    const short = r.name.replace(/(县|市|区)$/, '');
    if (short.length >= 2 && short !== r.name) entries.push([short, r.id]);
  }
  return lookup(
    entries,
    rows.map((r) => r.name),
  );
}

export async function industryLookup(db: pg.ClientBase): Promise<Lookup> {
  const { rows } = await db.query<{ id: number; code: string; name: string }>('select id, code, name from industry');
  return lookup(
    rows.flatMap((r) => [[r.name, r.id] as [string, number], [r.code, r.id] as [string, number]]),
    rows.map((r) => r.name),
  );
}

/** Departments by full name, code, or short name when that short name is unique. */
export async function departmentLookup(
  db: pg.ClientBase,
): Promise<Lookup & { ambiguous(text: string): boolean; regionOf(id: number): number }> {
  const { rows } = await db.query<{ id: number; code: string; name: string; short_name: string; region_id: number }>(
    'select id, code, name, short_name, region_id from department',
  );
  const shortCounts = new Map<string, number>();
  for (const r of rows) shortCounts.set(r.short_name, (shortCounts.get(r.short_name) ?? 0) + 1);
  const entries: [string, number][] = [];
  for (const r of rows) {
    entries.push([r.name, r.id], [r.code, r.id]);
    if (shortCounts.get(r.short_name) === 1) entries.push([r.short_name, r.id]);
  }
  const base = lookup(
    entries,
    rows.map((r) => r.name),
  );
  const regions = new Map(rows.map((r) => [r.id, r.region_id]));
  return {
    ...base,
    ambiguous: (text) => (shortCounts.get(text.trim()) ?? 0) > 1,
    regionOf: (id) => regions.get(id)!,
  };
}

/** Splits a cell that lists several values (、，,；; / or spaces). */
export function splitList(text: string): string[] {
  return text
    .split(/[、，,；;/\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
