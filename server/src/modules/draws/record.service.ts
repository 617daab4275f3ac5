import { isUuid } from '../../core/ids.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { pgArray } from '../../core/sql.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { type DrawRecord, PUBLIC_RECORD_FORMAT, type PublicDrawRecord } from './draw-record.js';
import { getDraw, keptPopulations } from './draw.service.js';
import { amendmentOf, Draw, DrawAmendment, DrawStatus } from './draw.entity.js';
import type { DrawRecordV1 } from './record-v1.js';
import { decodePopulation, RISK_CLASSES } from './selection.js';

/**
 * The full record of a revealed or withdrawn draw — what `verify-draw` re-runs — for those entitled
 * to it (the draw's departments and witnesses — getDraw's scope — and the 审计管理员): the stored record with
 * the populations kept since the opening and the amendments made since the reveal.
 */
export async function drawRecord(em: EntityManager, viewer: Viewer, id: string): Promise<DrawRecord | DrawRecordV1> {
  // The 审计管理员 audits any draw (the full record re-runs it); everyone else, the draws of their departments.
  const draw = hasRole(viewer, Role.AUDITOR) ? await anyDraw(em, id) : await getDraw(em, viewer, id);
  await em.populate(draw, ['record']);
  if (!draw.record) {
    throw new ConflictError(
      draw.status === DrawStatus.COMMITTED ? '抽取尚未揭示，记录在揭示或撤销后公布' : '该抽取撤销于旧版本，没有公布记录',
    );
  }
  const record = draw.record as DrawRecord | DrawRecordV1;
  if (record.format === 'inspection-hub/draw-record@1') {
    await em.populate(draw, ['populations']);
    const kept = draw.populations ?? {};
    return { ...record, tasks: record.tasks.map((t) => ({ ...t, population: kept[t.taskId] ?? t.population })) };
  }
  const populations = await keptPopulations(em, draw.id);
  const amendments = await em.find(DrawAmendment, { draw }, { orderBy: { id: 'asc' } });
  return {
    ...record,
    tasks: record.tasks.map((t) => ({ ...t, population: decodePopulation(populations.get(t.taskId) ?? Buffer.alloc(0)) })),
    amendments: amendments.map(amendmentOf),
  };
}

/**
 * The public record (公示, no login): the commitments from the opening; after the reveal or the
 * withdrawal the secret, the witnesses' strings, each stratum's size and digest and the selected
 * firms by name and USCC — never a firm's risk class, and of officers only what 亮证执法 shows.
 */
export async function publicDrawRecord(em: EntityManager, id: string): Promise<PublicDrawRecord> {
  const draw = await anyDraw(em, id);
  await em.populate(draw, ['record', 'entropies', 'tasks']);
  if (draw.spec?.format !== 2) throw new NotFoundError('抽取的公开记录', id);
  const { opening } = draw.spec;
  const names = new Map(draw.tasks.getItems().map((t) => [t.id, t.name]));
  // The stored record and the amendments are enough: the populations (millions of rows) are not read for the public.
  const record = (draw.record as DrawRecord | undefined) ?? null;
  const amendments = record ? (await em.find(DrawAmendment, { draw }, { orderBy: { id: 'asc' } })).map(amendmentOf) : [];
  const selected = record ? record.tasks.flatMap((t) => t.strata.flatMap((s) => s.rounds.flat())) : [];
  const firms = new Map(
    (
      await em
        .getConnection()
        .execute<{ uscc: string; name: string }[]>('select uscc, name from enterprise where uscc = any(?::text[])', [
          pgArray([...new Set(selected)]),
        ])
    ).map((f) => [f.uscc, f.name]),
  );
  const departments = new Map(draw.spec.rules.departments.map((d) => [d.id, d.name]));
  const officers = new Map(
    (record?.pool ?? []).map((o) => [o.certificateNo, { name: o.name, department: departments.get(o.departmentId) ?? '' }]),
  );
  const teams = record && !('error' in record.teams) ? currentTeams(record.teams.result, amendments) : {};
  return {
    format: PUBLIC_RECORD_FORMAT,
    ...opening,
    status: draw.status === DrawStatus.CANCELLED ? 'WITHDRAWN' : draw.status === DrawStatus.REVEALED ? 'REVEALED' : 'COMMITTED',
    withdrawal: record?.withdrawal ? { at: record.withdrawal.at, reason: record.withdrawal.reason } : undefined,
    secret: record?.secret ?? null,
    entropies: (
      record?.entropies ?? draw.entropies.getItems().map((e) => ({ by: e.byName, at: e.createdAt.toISOString(), value: e.value }))
    ).map(({ by, at, value }) => ({ by, at, value })),
    seed: record?.seed ?? null,
    tasks: draw.spec.tasks.map((t) => {
      const drawn = record?.tasks.find((r) => r.taskId === t.taskId);
      return {
        taskId: t.taskId,
        name: names.get(t.taskId) ?? t.name,
        ratio: t.ratio,
        riskStratified: t.riskStratified,
        rounds: t.rounds,
        problemYear: t.problemYear ?? null,
        strata: RISK_CLASSES.map((r) => ({
          size: t.strata[r].size,
          populationDigest: t.strata[r].populationDigest,
          sampleSize: drawn?.strata.find((s) => s.riskClass === r)?.sampleSize ?? null,
        })),
        selected: [...new Set(drawn?.strata.flatMap((s) => s.rounds.flat()) ?? [])]
          .sort()
          .map((uscc) => ({ uscc, name: firms.get(uscc) ?? '' })),
      };
    }),
    teams: Object.entries(teams).map(([visit, certs]) => ({
      visit,
      firm: firms.get(visit.slice(visit.indexOf(':') + 1)) ?? '',
      officers: certs.map((c) => officers.get(c) ?? { name: '', department: '' }),
    })),
  };
}

/** Teams after the amendments, by visit. */
function currentTeams(result: Record<string, string[]>, amendments: DrawRecord['amendments']): Record<string, string[]> {
  const teams = structuredClone(result);
  for (const a of amendments) teams[a.visit] = (teams[a.visit] ?? []).map((c) => (c === a.out ? a.in : c));
  return teams;
}

/** One draw as the public list shows it (/public/draws/:id). */
export async function publicDraw(em: EntityManager, id: string): Promise<Draw> {
  const draw = await anyDraw(em, id);
  await em.populate(draw, ['tasks', 'leadDepartment']);
  return draw;
}

async function anyDraw(em: EntityManager, id: string): Promise<Draw> {
  const draw = isUuid(id) ? await em.findOne(Draw, { id }) : null;
  if (!draw) throw new NotFoundError('抽取', id);
  return draw;
}

/** The draws as the public list shows them (/public/draws), newest first. */
export async function publicDraws(em: EntityManager, year: number | null): Promise<Draw[]> {
  return em.find(Draw, year ? { year } : {}, { orderBy: { openedAt: 'desc' }, populate: ['tasks', 'leadDepartment'], limit: 500 });
}
