import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { ImportMode } from './import-report.js';

export enum ImportKind {
  ENTERPRISE = 'ENTERPRISE',
  OFFICER = 'OFFICER',
  PLAN = 'PLAN',
}
registerEnumType(ImportKind, {
  name: 'ImportKind',
  description: '导入内容',
  valuesConfig: {
    ENTERPRISE: { description: '监管对象名录库' },
    OFFICER: { description: '执法人员名录库' },
    PLAN: { description: '年度抽查计划（公开文件）' },
  },
});

export enum ImportStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
}
registerEnumType(ImportStatus, {
  name: 'ImportStatus',
  description: '导入任务状态',
  valuesConfig: {
    RUNNING: { description: '进行中' },
    SUCCEEDED: { description: '已写入' },
    REJECTED: { description: '有错误，未写入' },
    FAILED: { description: '系统错误，未写入' },
  },
});

/**
 * One upload being imported. Kept in the database so that any server instance can answer for
 * it; the report is stored when the import ends.
 */
@ObjectType({ description: '导入任务' })
@Entity({ tableName: 'import_job' })
@Index({ properties: ['department', 'createdAt'] })
export class ImportJob {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Field(() => ImportKind, { description: '导入内容' })
  @Enum({ items: () => ImportKind })
  kind: ImportKind;

  @Field(() => ImportMode, { description: '导入方式' })
  @Enum({ items: () => ImportMode })
  mode: ImportMode;

  @Field(() => Boolean, { description: '是否允许部分导入' })
  @Property({ type: 'boolean' })
  allowPartial: boolean;

  @Field(() => String, { description: '文件名' })
  @Property({ type: 'string', length: 255 })
  fileName: string;

  @Field(() => Int, { description: '文件大小（字节）' })
  @Property({ type: 'integer' })
  fileSize: number;

  @Field(() => ImportStatus, { description: '状态' })
  @Enum({ items: () => ImportStatus })
  status: ImportStatus = ImportStatus.RUNNING;

  /** ImportReport (registries) or the plan import summary; exposed through resolvers. */
  @Field(() => GraphQLJSON, { nullable: true, description: '导入报告（结束后）' })
  @Property({ type: 'json', nullable: true })
  report?: unknown;

  @Field(() => String, { nullable: true, description: '系统错误说明（status=FAILED）' })
  @Property({ type: 'text', nullable: true })
  failure?: string;

  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @ManyToOne(() => User, { ref: true })
  createdBy: Ref<User>;

  @Field(() => Date, { description: '开始时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: '结束时间' })
  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date;

  constructor(
    id: string,
    kind: ImportKind,
    mode: ImportMode,
    allowPartial: boolean,
    fileName: string,
    fileSize: number,
    department: Ref<Department>,
    createdBy: Ref<User>,
  ) {
    this.id = id;
    this.kind = kind;
    this.mode = mode;
    this.allowPartial = allowPartial;
    this.fileName = fileName;
    this.fileSize = fileSize;
    this.department = department;
    this.createdBy = createdBy;
  }
}
