import { ArrayType } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A change that others must see, written in the same transaction as the change itself.
 * `tx` is the writing transaction's id; readers page by (tx, id) below the oldest running
 * transaction, so an event of a transaction that commits late is never skipped.
 */
@Entity({ tableName: 'event' })
@Index({ properties: ['tx', 'id'] })
export class Event {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()', lazy: true })
  tx?: string;

  @Property({ type: 'string', length: 64 })
  type: string;

  /** Departments that may see it; empty means every signed-in user. */
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'integer[]', defaultRaw: "'{}'" })
  departmentIds: number[];

  @Property({ type: 'json' })
  payload: unknown;

  @Property({ type: 'integer', nullable: true })
  actorId?: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  constructor(type: string, departmentIds: number[], payload: unknown, actorId?: number) {
    this.type = type;
    this.departmentIds = departmentIds;
    this.payload = payload;
    this.actorId = actorId;
  }
}
