import { Embeddable, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { RiskClass } from '../registry/registry.enums.js';
import { RatioKind } from './plan.enums.js';

@ObjectType({ description: '某一信用风险分类的抽查比例' })
export class RiskClassRatio {
  @Field(() => RiskClass, { description: '信用风险分类' })
  riskClass!: RiskClass;

  @Field(() => Float, { description: '百分比，如 5 表示 5%' })
  percent!: number;
}

/** 抽查比例: one of the four forms, always with the plan's original text. */
@ObjectType({ description: '抽查比例' })
@Embeddable()
export class Ratio {
  @Field(() => RatioKind, { description: '比例的形式' })
  @Enum({ items: () => RatioKind })
  kind: RatioKind;

  @Field(() => Float, { nullable: true, description: '百分比（kind=PERCENT）' })
  @Property({ type: 'double', nullable: true })
  percent?: number;

  @Field(() => Boolean, { description: '是否为“不低于”该比例' })
  @Property({ type: 'boolean', default: false })
  atLeast: boolean = false;

  @Field(() => Int, { nullable: true, description: '固定户数（kind=COUNT）' })
  @Property({ type: 'integer', nullable: true })
  count?: number;

  /** Stored as { A_LOW: 5, ... }; exposed as a list by the resolver. */
  @Property({ type: 'json', nullable: true })
  perRiskClass?: Partial<Record<RiskClass, number>>;

  @Field(() => String, { description: '计划原文，如“不低于5%”' })
  @Property({ type: 'string', length: 255 })
  text: string;

  constructor(kind: RatioKind, text: string) {
    this.kind = kind;
    this.text = text;
  }

  @Field(() => [RiskClassRatio], { description: '各信用风险分类的比例（kind=PER_RISK_CLASS）', name: 'perRiskClass' })
  perRiskClassList(): RiskClassRatio[] {
    return Object.entries(this.perRiskClass ?? {}).map(([riskClass, percent]) =>
      Object.assign(new RiskClassRatio(), { riskClass: riskClass as RiskClass, percent }),
    );
  }

  /** Human-readable Chinese summary used by the client and exports. */
  @Field(() => String, { description: '比例的中文表述' })
  label(): string {
    switch (this.kind) {
      case RatioKind.PERCENT:
        return `${this.atLeast ? '不低于' : ''}${this.percent}%`;
      case RatioKind.COUNT:
        return `${this.count}户`;
      case RatioKind.PER_RISK_CLASS:
        return '按信用风险分类分别确定';
      default:
        return this.text;
    }
  }
}
