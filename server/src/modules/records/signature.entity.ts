import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';

export enum SignerKind {
  OFFICER = 'OFFICER',
  ENTERPRISE = 'ENTERPRISE',
}
registerEnumType(SignerKind, {
  name: 'SignerKind',
  description: '签名人',
  valuesConfig: {
    OFFICER: { description: '检查人员（本人签名）' },
    ENTERPRISE: { description: '企业负责人或其委托人员（在执法人员的设备上签名）' },
  },
});

/** A signature on the 现场检查记录, drawn on the phone; the image lives in the blob store by its hash. */
@ObjectType({ description: '现场检查记录上的签名' })
@Entity({ tableName: 'record_signature' })
export class RecordSignature {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Inspection, { ref: true })
  inspection: Ref<Inspection>;

  @Field(() => SignerKind, { description: '签名人' })
  @Enum({ items: () => SignerKind })
  kind: SignerKind;

  /** The officer who signed (kind OFFICER). */
  @ManyToOne(() => Officer, { ref: true, nullable: true })
  officer?: Ref<Officer> | null;

  @Field(() => String, { description: '签名人姓名' })
  @Property({ type: 'text' })
  signerName: string;

  @Field(() => String, { description: '签名图片（PNG）的 SHA-256' })
  @Property({ type: 'character(64)' })
  sha256: string;

  @ManyToOne(() => User, { ref: true })
  signedBy: Ref<User>;

  @Field(() => Date, { description: '签名时间' })
  @Property({ type: 'datetime' })
  signedAt: Date = new Date();

  constructor(fields: Omit<RecordSignature, 'id' | 'signedAt'>) {
    Object.assign(this, fields);
    this.inspection = fields.inspection;
    this.kind = fields.kind;
    this.signerName = fields.signerName;
    this.sha256 = fields.sha256;
    this.signedBy = fields.signedBy;
  }
}
