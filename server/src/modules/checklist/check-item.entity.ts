import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { describeValues } from '../../core/labels.js';
import { Department } from '../departments/department.entity.js';

export enum CheckItemKind {
  GENERAL = 'GENERAL',
  KEY = 'KEY',
}
registerEnumType(CheckItemKind, {
  name: 'CheckItemKind',
  description: '事项类别',
  valuesConfig: { GENERAL: { description: '一般检查事项' }, KEY: { description: '重点检查事项' } },
});

export enum InspectionMethod {
  ON_SITE = 'ON_SITE',
  DOCUMENTARY = 'DOCUMENTARY',
  ONLINE = 'ONLINE',
  ENTRUSTED = 'ENTRUSTED',
}
export const METHOD_LABELS: Record<InspectionMethod, string> = {
  ON_SITE: '实地检查',
  DOCUMENTARY: '书面检查',
  ONLINE: '网络监测',
  ENTRUSTED: '委托专业机构',
};
registerEnumType(InspectionMethod, {
  name: 'InspectionMethod',
  description: '检查方式',
  valuesConfig: describeValues(METHOD_LABELS),
});

@ObjectType({ description: '抽查事项（随机抽查事项清单“一单”中的一项）' })
@Entity({ tableName: 'check_item' })
@Unique({ properties: ['department', 'year', 'code'] })
export class CheckItem {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => String, { description: '事项编码（部门内唯一）' })
  @Property({ type: 'string', length: 32 })
  code: string;

  @ManyToOne(() => Department, { ref: true })
  department: Ref<Department>;

  @Field(() => Int, { description: '清单年度' })
  @Property({ type: 'integer' })
  year: number;

  @Field(() => String, { description: '抽查类别，如“对二手车流通的监督检查”' })
  @Property({ type: 'string', length: 255 })
  category: string;

  @Field(() => String, { description: '抽查事项' })
  @Property({ type: 'text' })
  item: string;

  @Field(() => String, { nullable: true, description: '检查对象' })
  @Property({ type: 'string', length: 255, nullable: true })
  target?: string;

  @Field(() => CheckItemKind, { description: '事项类别：一般 / 重点' })
  @Enum({ items: () => CheckItemKind })
  kind: CheckItemKind;

  @Field(() => InspectionMethod, { description: '检查方式' })
  @Enum({ items: () => InspectionMethod })
  method: InspectionMethod;

  @Field(() => String, { nullable: true, description: '检查依据' })
  @Property({ type: 'text', nullable: true })
  legalBasis?: string;

  @Field(() => String, { nullable: true, description: '执法人员须具备的业务专长；为空表示不限' })
  @Property({ type: 'string', length: 64, nullable: true })
  requiredSpecialty?: string;

  @Field(() => Date, { nullable: true, description: '停用时间；停用的事项不再用于新任务，已用的任务照旧' })
  @Property({ type: 'datetime', nullable: true })
  retiredAt?: Date;

  @Field(() => String, { nullable: true, description: '停用理由' })
  @Property({ type: 'string', length: 500, nullable: true })
  retireReason?: string;

  @Field(() => Int, { description: '版本号，修改时用于乐观锁' })
  @Property({ type: 'integer', version: true, default: 1 })
  version!: number;

  constructor(
    department: Ref<Department>,
    year: number,
    code: string,
    category: string,
    item: string,
    kind: CheckItemKind,
    method: InspectionMethod,
  ) {
    this.department = department;
    this.year = year;
    this.code = code;
    this.category = category;
    this.item = item;
    this.kind = kind;
    this.method = method;
  }
}
