import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A change that others must see, written in the same transaction as the change itself.
 * `seq` is given at the writing transaction's commit, in commit order (a deferred trigger, see
 * Migration20261202091500); readers page by it, so an event is never skipped however late its
 * transaction commits, and no other transaction holds it back.
 */
@Entity({ tableName: 'event' })
export class Event {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** The writing transaction (diagnostics only). */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()', lazy: true })
  tx?: string;

  /** Commit-order position; null until the writing transaction commits. */
  @Property({ type: 'bigint', nullable: true, lazy: true, unique: 'event_seq_unique' })
  seq?: string;

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
