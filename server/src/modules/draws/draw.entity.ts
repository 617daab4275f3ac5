import { ArrayType, Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToMany, ManyToOne, OneToMany, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { Task } from '../plans/task.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';
import type { RiskClass } from '../registry/registry.enums.js';
import type { Amendment, Opening } from './draw-record.js';
import type { StratumSummary, TaskParams } from './selection.js';
import type { CommittedOfficer, VisitRules } from './visit-rules.js';

/** What a draw committed to when it opened (draw-record@2): parameters, strata, visit rules, witness rule, commitments. */
export interface DrawSpecAtOpen {
  format: 2;
  tasks: (TaskParams & { name: string; strata: Record<RiskClass, StratumSummary> })[];
  rules: VisitRules;
  opening: Opening;
}

/** What the opening committed to, for draws opened in @2 (null for @1 draws). */
export function openingOf(draw: Draw): Opening | null {
  return draw.spec?.format === 2 ? draw.spec.opening : null;
}

/** An amendment as the record lists it. */
export function amendmentOf(a: DrawAmendment): Amendment {
  return {
    visit: a.visitKey,
    out: a.outCertificateNo,
    in: a.inCertificateNo,
    reason: a.reason,
    by: a.byName,
    at: a.createdAt.toISOString(),
  };
}

export enum DrawStatus {
  COMMITTED = 'COMMITTED',
  REVEALED = 'REVEALED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(DrawStatus, {
  name: 'DrawStatus',
  description: '抽取状态',
  valuesConfig: {
    COMMITTED: { description: '已公布承诺值，见证人可加入随机串' },
    REVEALED: { description: '已揭示种子并完成抽取，记录不可更改' },
    CANCELLED: { description: '未揭示即撤销（留有理由），其任务可重新开启抽取' },
  },
});

/** A witnessed random selection for one or several tasks of a plan year. */
@ObjectType({ description: '随机抽取' })
@Entity({ tableName: 'draw' })
export class Draw {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'uuid' })
  id: string;

  @Field(() => Int, { description: '计划年度' })
  @Property({ type: 'integer' })
  year: number;

  @ManyToMany(() => Task, undefined, { pivotTable: 'draw_task', owner: true })
  tasks = new Collection<Task>(this);

  @ManyToOne(() => Department, { ref: true })
  leadDepartment: Ref<Department>;

  /** Lead and partner departments: who may watch and who is told. */
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'integer[]' })
  departmentIds: number[];

  @Field(() => DrawStatus, { description: '状态' })
  @Enum({ items: () => DrawStatus })
  status: DrawStatus = DrawStatus.COMMITTED;

  @Field(() => String, { description: '承诺值 SHA-256(服务器密钥)，抽取前公布' })
  @Property({ type: 'string', length: 64 })
  commitment: string;

  @Field(() => String, { description: '各任务抽查对象名录摘要的承诺值，抽取前公布' })
  @Property({ type: 'string', length: 64 })
  populationCommitment: string;

  /** What the draw committed to when it opened: each task's parameters and strata (size, digest), the rules, the commitments. */
  @Property({ type: 'json', nullable: true })
  spec?: DrawSpecAtOpen;

  /** draw-record@1 only: the populations as JSON rows (@2 keeps them compactly in draw_population). */
  @Property({ type: 'json', nullable: true, lazy: true })
  populations?: Record<number, [string, RiskClass, 1?][]>;

  /** The officer pool committed at the opening: the reveal and amendments draw from exactly this. */
  @Property({ type: 'json', nullable: true, lazy: true })
  pool?: CommittedOfficer[];

  /** Revealed only with the record, after the draw. */
  @Property({ type: 'string', length: 64, hidden: true })
  secret: string;

  @ManyToOne(() => User, { ref: true })
  openedBy: Ref<User>;

  @Field(() => Date, { description: '开启时间' })
  @Property({ type: 'datetime' })
  openedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: '揭示（完成抽取）时间' })
  @Property({ type: 'datetime', nullable: true })
  revealedAt?: Date;

  @ManyToOne(() => User, { ref: true, nullable: true })
  revealedBy?: Ref<User>;

  @Field(() => Date, { nullable: true, description: '撤销时间' })
  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date;

  @ManyToOne(() => User, { ref: true, nullable: true })
  cancelledBy?: Ref<User>;

  @Field(() => String, { nullable: true, description: '撤销理由' })
  @Property({ type: 'text', nullable: true })
  cancelReason?: string;

  @Field(() => String, { nullable: true, description: '揭示后的种子' })
  @Property({ type: 'string', length: 64, nullable: true })
  seed?: string;

  /** A repeated reveal with the same key returns this draw instead of failing. */
  @Property({ type: 'string', length: 128, nullable: true, unique: true })
  idempotencyKey?: string;

  /** The full DrawRecord (JSON), written once at reveal. */
  @Property({ type: 'json', nullable: true, lazy: true })
  record?: unknown;

  @Field(() => Int, { description: '检查户次（一次上门算一户次）' })
  @Property({ type: 'integer', default: 0 })
  visits: number = 0;

  @Field(() => Number, { description: '若各任务各自独立抽取，预计需要的户次' })
  @Property({ type: 'double', default: 0 })
  visitsIndependent: number = 0;

  @OneToMany(() => DrawEntropy, (e) => e.draw, { orderBy: { id: 'asc' } })
  entropies = new Collection<DrawEntropy>(this);

  constructor(
    id: string,
    year: number,
    leadDepartment: Ref<Department>,
    departmentIds: number[],
    secret: string,
    commitment: string,
    populationCommitment: string,
    openedBy: Ref<User>,
  ) {
    this.id = id;
    this.year = year;
    this.leadDepartment = leadDepartment;
    this.departmentIds = departmentIds;
    this.secret = secret;
    this.commitment = commitment;
    this.populationCommitment = populationCommitment;
    this.openedBy = openedBy;
  }
}

@ObjectType({ description: '见证人加入的随机串' })
@Entity({ tableName: 'draw_entropy' })
@Unique({ properties: ['draw', 'user'] })
export class DrawEntropy {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Draw, { ref: true })
  draw: Ref<Draw>;

  @ManyToOne(() => User, { ref: true })
  user: Ref<User>;

  @Field(() => String, { description: '见证人（显示名）' })
  @Property({ type: 'string', length: 64 })
  byName: string;

  /** The witness's department when the string was added (the plan's witness rule reads it). */
  @Property({ type: 'integer', nullable: true })
  departmentId?: number;

  @Field(() => String, { description: '随机串' })
  @Property({ type: 'string', length: 200 })
  value: string;

  @Field(() => Date, { description: '加入时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(draw: Ref<Draw>, user: Ref<User>, byName: string, value: string) {
    this.draw = draw;
    this.user = user;
    this.byName = byName;
    this.value = value;
  }
}

/** A task's eligible population, fixed when its draw opened, in the compact form of selection.ts (24-byte rows). */
@Entity({ tableName: 'draw_population' })
export class DrawPopulation {
  @ManyToOne(() => Draw, { primary: true, ref: true, deleteRule: 'cascade' })
  draw: Ref<Draw>;

  @PrimaryKey({ type: 'integer' })
  taskId: number;

  @Property({ type: 'blob', lazy: true })
  rows: Buffer;

  constructor(draw: Ref<Draw>, taskId: number, rows: Buffer) {
    this.draw = draw;
    this.taskId = taskId;
    this.rows = rows;
  }
}

/** An officer replaced on a revealed draw's visit (illness, a late conflict), by the draw's rule; appended to the record. */
@ObjectType({ description: '抽取完成后的检查组人员调整' })
@Entity({ tableName: 'draw_amendment' })
export class DrawAmendment {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Draw, { ref: true })
  draw: Ref<Draw>;

  @ManyToOne(() => Inspection, { ref: true })
  inspection: Ref<Inspection>;

  @Field(() => String, { description: '户次（轮次:统一社会信用代码）' })
  @Property({ type: 'string', length: 64 })
  visitKey: string;

  @ManyToOne(() => Officer, { ref: true })
  outOfficer: Ref<Officer>;

  @ManyToOne(() => Officer, { ref: true })
  inOfficer: Ref<Officer>;

  @Field(() => String, { description: '调出人员执法证号' })
  @Property({ type: 'string', length: 64 })
  outCertificateNo: string;

  @Field(() => String, { description: '替换人员执法证号' })
  @Property({ type: 'string', length: 64 })
  inCertificateNo: string;

  @Field(() => String, { description: '调整理由' })
  @Property({ type: 'text' })
  reason: string;

  @ManyToOne(() => User, { ref: true })
  by: Ref<User>;

  @Field(() => String, { description: '调整人（显示名）' })
  @Property({ type: 'string', length: 64 })
  byName: string;

  @Field(() => Date, { description: '调整时间' })
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(init: Omit<DrawAmendment, 'id' | 'createdAt'>) {
    this.draw = init.draw;
    this.inspection = init.inspection;
    this.visitKey = init.visitKey;
    this.outOfficer = init.outOfficer;
    this.inOfficer = init.inOfficer;
    this.outCertificateNo = init.outCertificateNo;
    this.inCertificateNo = init.inCertificateNo;
    this.reason = init.reason;
    this.by = init.by;
    this.byName = init.byName;
  }
}
