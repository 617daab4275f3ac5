import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { pgArray } from '../core/sql.js';
import { itemUse } from '../modules/checklist/check-item.service.js';
import { riskHistoryOf } from '../modules/registry/record.service.js';
import { lockedOut } from '../modules/auth/auth.service.js';
import { amendmentsOfDraws, inspectionsOfDraws } from '../modules/draws/draw.service.js';
import { findingsOfInspections } from '../modules/inspections/inspection.service.js';
import { partnershipsOf } from '../modules/plans/task-authoring.service.js';
import { referralsOfFindings } from '../modules/referrals/referral.service.js';
import { attachmentsOfInspections } from '../modules/attachments/attachment.service.js';
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

  /**
   * The entities a many-to-many property links to each owner, read through its pivot table in one
   * statement and mapped into this request's identity map (cheaper than collection loading,
   * which hydrates the pivot rows too). Table and column names come from the ORM's metadata.
   */
  linked<C extends object>(owner: EntityClass<object>, property: string, ownerId: number): Promise<C[]> {
    return this.loader(`linked:${owner.name}.${property}`, async (ids: readonly number[]) => {
      const prop = this.em.getMetadata().get(owner).properties[property as never] as unknown as {
        pivotTable: string;
        joinColumns: string[];
        inverseJoinColumns: string[];
        targetMeta: { tableName: string; class: EntityClass<C> };
      };
      const [ownerColumn] = prop.joinColumns;
      const [childColumn] = prop.inverseJoinColumns;
      const rows = await this.em.getConnection().execute<Record<string, unknown>[]>(
        `select p."${ownerColumn}" as "__owner", c.* from "${prop.pivotTable}" p join "${prop.targetMeta.tableName}" c on c.id = p."${childColumn}"
          where p."${ownerColumn}" = any(?::int[]) order by c.id`,
        [pgArray(ids)],
      );
      const groups = new Map(ids.map((id) => [id, [] as C[]]));
      // The same child under many owners (a task drew 100 visits) is mapped once.
      const children = new Map<unknown, C>();
      for (const { __owner, ...columns } of rows) {
        let child = children.get(columns.id);
        if (!child) children.set(columns.id, (child = this.em.map(prop.targetMeta.class, columns as never)));
        groups.get(Number(__owner))?.push(child);
      }
      return ids.map((id) => groups.get(id)!);
    }).load(ownerId);
  }

  /** The findings of each inspection, oldest first. */
  findings(inspectionId: number) {
    return this.loader('findings', async (ids: readonly number[]) =>
      groupedBy(ids, await findingsOfInspections(this.em, [...ids]), (f) => f.inspection.id),
    ).load(inspectionId);
  }

  /** The referrals of each finding, oldest first (its 已移送 marks). */
  findingReferrals(findingId: number) {
    return this.loader('findingReferrals', async (ids: readonly number[]) =>
      groupedBy(ids, await referralsOfFindings(this.em, [...ids]), (r) => r.finding.id),
    ).load(findingId);
  }

  /** The evidence of each visit (its findings' and its own), oldest first. */
  inspectionAttachments(inspectionId: number) {
    return this.loader('inspectionAttachments', async (ids: readonly number[]) =>
      groupedBy(ids, await attachmentsOfInspections(this.em, [...ids]), (a) => a.inspection.id),
    ).load(inspectionId);
  }

  /** The inspections of each draw, in reveal order. */
  drawInspections(drawId: string) {
    return this.loader('drawInspections', async (ids: readonly string[]) =>
      groupedBy(ids, await inspectionsOfDraws(this.em, [...ids]), (i) => i.draw.id),
    ).load(drawId);
  }

  /** Whether each user name is locked out by failed logins (a page of accounts in one statement). */
  lockedOut(username: string) {
    return this.loader('lockedOut', async (names: readonly string[]) => {
      const locked = await lockedOut(this.em, names);
      return names.map((n) => locked.has(n));
    }).load(username);
  }

  /** The team amendments of each draw, oldest first. */
  drawAmendments(drawId: string) {
    return this.loader('drawAmendments', async (ids: readonly string[]) =>
      groupedBy(ids, await amendmentsOfDraws(this.em, [...ids]), (a) => a.draw.id),
    ).load(drawId);
  }

  /** The risk class history of each enterprise, newest first. */
  riskClassHistory(enterpriseId: number) {
    return this.loader('riskClassHistory', async (ids: readonly number[]) =>
      groupedBy(ids, await riskHistoryOf(this.em, ids), (c) => c.enterprise.id),
    ).load(enterpriseId);
  }

  /** How many tasks use each check item (and how many of them in approved plans). */
  checkItemUse(itemId: number) {
    return this.loader('checkItemUse', async (ids: readonly number[]) => {
      const use = await itemUse(this.em, ids);
      return ids.map((id) => use.get(id) ?? { tasks: 0, approved: 0 });
    }).load(itemId);
  }

  /** The partnership rows of each task (hand-written joint tasks). */
  taskPartnerships(taskId: number) {
    return this.loader('taskPartnerships', async (ids: readonly number[]) =>
      groupedBy(ids, await partnershipsOf(this.em, [...ids]), (p) => p.task.id),
    ).load(taskId);
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
