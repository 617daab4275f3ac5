import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { Task } from './task.entity.js';

/** 联合事项确认: where a partner department stands on a joint task written by hand. */
export enum PartnershipStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(PartnershipStatus, {
  name: 'PartnershipStatus',
  description: '配合部门确认状态',
  valuesConfig: {
    PENDING: { description: '待确认' },
    CONFIRMED: { description: '已确认（已选定本部门的检查事项）' },
    WITHDRAWN: { description: '发起部门已撤回该配合部门（附理由）' },
  },
});

/**
 * A partner department's answer on a hand-written joint task. Tasks imported from a published
 * plan have no rows: the published document is the partners' agreement (they count as confirmed).
 */
@Entity({ tableName: 'task_partnership' })
@Unique({ properties: ['task', 'department'] })
export class TaskPartnership {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Task, { ref: true, deleteRule: 'cascade' })
  task: Ref<Task>;

  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Enum({ items: () => PartnershipStatus })
  status: PartnershipStatus = PartnershipStatus.PENDING;

  @ManyToOne(() => User, { ref: true, nullable: true })
  decidedBy?: Ref<User>;

  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date;

  /** Why the lead withdrew the partner. */
  @Property({ type: 'text', nullable: true })
  reason?: string;

  constructor(task: Ref<Task>, department: Ref<Department>) {
    this.task = task;
    this.department = department;
  }
}
