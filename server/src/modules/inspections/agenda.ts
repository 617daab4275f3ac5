import { type FilterQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError } from '../../core/errors.js';
import { chinaDate, chinaDayStart } from '../../core/dates.js';
import { checkPageSize, type ConnectionShape, type PageRequest } from '../../core/paging.js';
import { Inspection, InspectionStatus } from './inspection.entity.js';

const isOpen = (i: Inspection) => i.status === InspectionStatus.ASSIGNED || i.status === InspectionStatus.IN_PROGRESS;

/**
 * An officer's visits in the order of their day: open visits agreed for today or later (soonest
 * first), then open ones not yet agreed, then open ones whose agreed day has passed (latest
 * first), then the closed ones (newest first). Paged by keyset on (rank, key, id), so a page
 * never repeats or skips a visit.
 */
function agendaRank(alias: string, from: string): string {
  return `(case when ${alias}.status in ('ASSIGNED', 'IN_PROGRESS') then
             case when ${alias}.scheduled_at >= '${from}'::timestamptz then 0 when ${alias}.scheduled_at is null then 1 else 2 end
           else 3 end)`;
}

function agendaKey(alias: string, from: string): string {
  const ms = `floor(extract(epoch from ${alias}.scheduled_at) * 1000)::bigint`;
  const rank = agendaRank(alias, from);
  return `(case ${rank} when 0 then ${ms} when 1 then 0 when 2 then -${ms} else -${alias}.id end)`;
}

interface AgendaCursor {
  rank: number;
  key: string;
  id: number;
}

const encode = (c: AgendaCursor) => Buffer.from(`agenda:${c.rank}:${c.key}:${c.id}`).toString('base64url');

function decode(raw: string): AgendaCursor {
  const match = /^agenda:([0-3]):(-?\d{1,16}):(\d{1,10})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw new BadInputError('after', '无效，请使用上一页返回的 endCursor');
  return { rank: Number(match[1]), key: match[2], id: Number(match[3]) };
}

export async function agendaPage(
  em: EntityManager,
  where: FilterQuery<Inspection>,
  page: PageRequest,
): Promise<ConnectionShape<Inspection>> {
  checkPageSize(page.first);
  // The start of today, China time: an interpolated value of our own, never the caller's.
  const from = chinaDayStart(chinaDate()).toISOString();
  const after = page.after ? decode(page.after) : null;
  const keyset = after
    ? { [raw((a: string) => `(${agendaRank(a, from)}, ${agendaKey(a, from)}, ${a}.id) > (${after.rank}, ${after.key}, ${after.id})`)]: [] }
    : {};
  const rows = await em.find(
    Inspection,
    { $and: [where, keyset] },
    {
      orderBy: [
        { [raw((a: string) => agendaRank(a, from))]: 'asc' },
        { [raw((a: string) => agendaKey(a, from))]: 'asc' },
        { id: 'asc' },
      ] as never,
      limit: page.first + 1,
    },
  );
  const hasNextPage = rows.length > page.first;
  const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
  const last = nodes.at(-1);
  const startOfToday = new Date(from).getTime();
  const cursorOf = (i: Inspection): AgendaCursor => {
    const open = isOpen(i);
    const at = i.scheduledAt?.getTime() ?? null;
    const rank = !open ? 3 : at !== null && at >= startOfToday ? 0 : at === null ? 1 : 2;
    const key = rank === 0 ? at! : rank === 1 ? 0 : rank === 2 ? -at! : -i.id;
    return { rank, key: String(Math.floor(key)), id: i.id };
  };
  let total: Promise<number> | undefined;
  return {
    nodes,
    pageInfo: { hasNextPage, endCursor: last ? encode(cursorOf(last)) : null },
    get totalCount() {
      total ??= em.count(Inspection, where);
      return total;
    },
  };
}
