import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { inspectionsOfDraws } from '../modules/draws/draw.service.js';
import { findingsOfInspections } from '../modules/inspections/inspection.service.js';
import { publicationsOfInspections } from '../modules/publication/publish.service.js';
import { currentVersions, publicVersions } from '../modules/publication/public-search.service.js';
import type { Publication, PublicationVersion } from '../modules/publication/publication.entity.js';

/** Groups rows by a key, in the order of the keys asked for (a DataLoader's contract). */
function groupedBy<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/**
 * Every batch read a field resolver may need, one DataLoader each, created on first use for one
 * request (HTTP) or one event (subscriptions, shared by every subscriber of that event). A page
 * of N parents costs one query per relation, not N. Relations that are MikroORM references load
 * through MikroORM's own per-tick dataloader (core/refs.ts); this registry holds the rest.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<never, unknown>>();

  constructor(readonly em: EntityManager) {}

  private loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch);
      this.loaders.set(name, loader);
    }
    return loader;
  }

  /** Any entity by its id (null when there is none), batched per entity class. */
  load<T extends { id: number | string }>(entity: EntityClass<T>, id: T['id']): Promise<T | null> {
    return this.loader(`byId:${entity.name}`, async (ids: readonly T['id'][]) => {
      const rows = await this.em.find(entity, { id: { $in: [...ids] } } as never);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((key) => byId.get(key) ?? null);
    }).load(id);
  }

  /** The same, for a row that must exist (a foreign key or an event's subject). */
  async loadOrFail<T extends { id: number | string }>(entity: EntityClass<T>, id: T['id']): Promise<T> {
    const row = await this.load(entity, id);
    if (!row) throw new Error(`${entity.name} ${id} not found`);
    return row;
  }

  /** The findings of each inspection, oldest first. */
  findings(inspectionId: number) {
    return this.loader('findings', async (ids: readonly number[]) =>
      groupedBy(ids, await findingsOfInspections(this.em, [...ids]), (f) => f.inspection.id),
    ).load(inspectionId);
  }

  /** The inspections of each draw, in reveal order. */
  drawInspections(drawId: string) {
    return this.loader('drawInspections', async (ids: readonly string[]) =>
      groupedBy(ids, await inspectionsOfDraws(this.em, [...ids]), (i) => i.draw.id),
    ).load(drawId);
  }

  /** Each inspection's publication, or null while unpublished. */
  publication(inspectionId: number) {
    return this.loader('publication', async (ids: readonly number[]) => {
      const byInspection = new Map((await publicationsOfInspections(this.em, [...ids])).map((p) => [p.inspection.id, p]));
      return ids.map((id) => byInspection.get(id) ?? null);
    }).load(inspectionId);
  }

  /** The version of a publication that is current (what the public sees now). */
  currentVersion(publication: Publication): Promise<PublicationVersion> {
    return this.loader('currentVersion', async (pubs: readonly Publication[]) => {
      const current = await currentVersions(this.em, [...pubs]);
      return pubs.map((p) => current.get(p.id)!);
    }).load(publication);
  }

  /** Every version of each publication, oldest first. */
  versions(publicationId: number) {
    return this.loader('versions', async (ids: readonly number[]) =>
      groupedBy(ids, await publicVersions(this.em, [...ids]), (v) => v.publication.id),
    ).load(publicationId);
  }
}
