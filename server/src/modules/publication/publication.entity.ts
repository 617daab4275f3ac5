import { ArrayType, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import type { PublicRecord, ResultChange } from './public-record.js';

const intArray = () => new ArrayType<number>((i) => Number(i));

export enum PublicationStatus {
  PUBLISHED = 'PUBLISHED',
  CORRECTED = 'CORRECTED',
}
registerEnumType(PublicationStatus, {
  name: 'PublicationStatus',
  description: '公示状态',
  valuesConfig: { PUBLISHED: { description: '已公示' }, CORRECTED: { description: '已更正' } },
});

/**
 * 公示: the public record of one finalised inspection. The record itself lives in its versions —
 * a published version is never changed; a correction adds the next one. The columns here are the
 * current version's searchable facts (the public query filters on them).
 */
@ObjectType({ description: '公示记录（一次检查的抽查结果）' })
@Entity({ tableName: 'publication' })
@Index({ properties: ['completedOn'] })
@Index({ properties: ['uscc'] })
export class Publication {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @OneToOne(() => Inspection, { ref: true, owner: true, unique: true })
  inspection: Ref<Inspection>;

  @ManyToOne(() => Department, { ref: true })
  leadDepartment: Ref<Department>;

  /** 抽查机关: every department with items in the record (the public filter by department). */
  @Index({ type: 'gin' })
  @Property({ type: intArray(), columnType: 'integer[]' })
  departmentIds: number[];

  @Index({ type: 'gin' })
  @Property({ type: intArray(), columnType: 'integer[]' })
  taskIds: number[];

  /** The publishing request's idempotency key (shared by a batch): a retry returns this publication. */
  @Index()
  @Property({ type: 'string', length: 128, nullable: true })
  idempotencyKey?: string;

  @Field(() => String, { description: '企业名称' })
  @Property({ type: 'string', length: 255 })
  enterpriseName: string;

  @Field(() => String, { description: '统一社会信用代码' })
  @Property({ type: 'string', length: 18 })
  uscc: string;

  @Field(() => String, { description: '抽查完成日期' })
  @Property({ type: 'date' })
  completedOn: string;

  @Field(() => String, { description: '公示期限（完成后第 20 个工作日）' })
  @Property({ type: 'date' })
  dueOn: string;

  @Field(() => Boolean, { description: '期限是否为暂定（当年节假日安排尚未公布，按周一至周五计算）' })
  @Property({ type: 'boolean' })
  dueProvisional: boolean;

  @Field(() => String, { description: '公示日期' })
  @Property({ type: 'date' })
  publishedOn: string;

  @Field(() => Date, { description: '公示时间' })
  @Property({ type: 'datetime' })
  publishedAt: Date = new Date();

  @ManyToOne(() => User, { ref: true })
  publishedBy: Ref<User>;

  @Field(() => PublicationStatus, { description: '状态' })
  @Enum({ items: () => PublicationStatus })
  status: PublicationStatus = PublicationStatus.PUBLISHED;

  @Field(() => Int, { description: '当前公示版本（1 为首次公示，每次更正加 1）' })
  @Property({ type: 'integer' })
  currentVersion: number = 1;

  @Field(() => String, { nullable: true, description: '最近一次更正日期' })
  @Property({ type: 'date', nullable: true })
  correctedOn?: string;

  @Field(() => String, { nullable: true, description: '最近一次更正的理由' })
  @Property({ type: 'text', nullable: true })
  correctionReason?: string;

  @Field(() => Int, { description: '版本号（乐观锁）' })
  @Property({ type: 'integer', version: true })
  version!: number;

  constructor(inspection: Ref<Inspection>, leadDepartment: Ref<Department>, facts: PublicationFacts, publishedBy: Ref<User>) {
    this.inspection = inspection;
    this.leadDepartment = leadDepartment;
    this.departmentIds = facts.departmentIds;
    this.taskIds = facts.taskIds;
    this.enterpriseName = facts.enterpriseName;
    this.uscc = facts.uscc;
    this.completedOn = facts.completedOn;
    this.dueOn = facts.dueOn;
    this.dueProvisional = facts.dueProvisional;
    this.publishedOn = facts.publishedOn;
    this.publishedBy = publishedBy;
  }
}

export interface PublicationFacts {
  departmentIds: number[];
  taskIds: number[];
  enterpriseName: string;
  uscc: string;
  completedOn: string;
  dueOn: string;
  dueProvisional: boolean;
  publishedOn: string;
}

/** One version of a public record, exactly as the public saw it; append-only (a trigger refuses UPDATE and DELETE). */
@Entity({ tableName: 'publication_version' })
@Unique({ properties: ['publication', 'number'] })
export class PublicationVersion {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Publication, { ref: true })
  publication: Ref<Publication>;

  @Property({ type: 'integer' })
  number: number;

  @Property({ type: 'json' })
  record: PublicRecord;

  /** Null for the first publication; the approved correction's reason after that. */
  @Property({ type: 'text', nullable: true })
  reason?: string;

  @Property({ type: 'date' })
  effectiveOn: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(publication: Ref<Publication>, number: number, record: PublicRecord, effectiveOn: string, reason?: string) {
    this.publication = publication;
    this.number = number;
    this.record = record;
    this.effectiveOn = effectiveOn;
    this.reason = reason;
  }
}

export enum CorrectionStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}
registerEnumType(CorrectionStatus, {
  name: 'CorrectionStatus',
  description: '更正申请状态',
  valuesConfig: {
    PENDING: { description: '待负责人审核' },
    APPROVED: { description: '已批准（已生成新版本）' },
    REJECTED: { description: '已驳回' },
  },
});

/** 更正: a department's request to change its own items in a published record; its HEAD decides. */
@ObjectType({ description: '更正申请' })
@Entity({ tableName: 'correction' })
@Index({ properties: ['department', 'status'] })
export class Correction {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Publication, { ref: true })
  publication: Ref<Publication>;

  /** The requesting department: it corrects only its own items, and its HEAD decides. */
  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Field(() => String, { description: '更正理由' })
  @Property({ type: 'text' })
  reason: string;

  /** The new results, item by item. */
  @Property({ type: 'json' })
  changes: ResultChange[];

  @Field(() => CorrectionStatus, { description: '状态' })
  @Enum({ items: () => CorrectionStatus })
  status: CorrectionStatus = CorrectionStatus.PENDING;

  /** The publication's version the request was made against: approval refuses if it moved on. */
  @Field(() => Int, { description: '申请时的公示版本' })
  @Property({ type: 'integer' })
  baseVersion: number;

  @ManyToOne(() => User, { ref: true })
  requestedBy: Ref<User>;

  @Field(() => Date, { description: '申请时间' })
  @Property({ type: 'datetime' })
  requestedAt: Date = new Date();

  @ManyToOne(() => User, { ref: true, nullable: true })
  decidedBy?: Ref<User>;

  @Field(() => Date, { nullable: true, description: '审核时间' })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date;

  @Field(() => String, { nullable: true, description: '审核意见' })
  @Property({ type: 'text', nullable: true })
  decisionNote?: string;

  @Field(() => Int, { nullable: true, description: '批准后生成的公示版本' })
  @Property({ type: 'integer', nullable: true })
  resultingVersion?: number;

  @Field(() => Int, { description: '版本号（乐观锁）' })
  @Property({ type: 'integer', version: true })
  version!: number;

  constructor(
    publication: Ref<Publication>,
    department: Ref<Department>,
    reason: string,
    changes: ResultChange[],
    baseVersion: number,
    requestedBy: Ref<User>,
  ) {
    this.publication = publication;
    this.department = department;
    this.reason = reason;
    this.changes = changes;
    this.baseVersion = baseVersion;
    this.requestedBy = requestedBy;
  }
}
