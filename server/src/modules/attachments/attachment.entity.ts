import type { Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { User } from '../auth/user.entity.js';
import { Finding } from '../inspections/finding.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';

/**
 * 证据: a photo or document on a visit, or on one of its findings. The content lives in the blob
 * store under its SHA-256 (blob-store.ts); the row is what the record and the audit show of it.
 * Never published: the public pages read nothing from this table.
 */
@ObjectType({ description: '检查证据（照片或文件），按内容的 SHA-256 保存' })
@Entity({ tableName: 'attachment' })
@Index({ properties: ['inspection'] })
@Index({ properties: ['finding'] })
export class Attachment {
  @Field(() => ID, { description: '编号' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Inspection, { ref: true })
  inspection: Ref<Inspection>;

  /** Null: evidence of the visit as a whole (e.g. the signed notice, the premises). */
  @ManyToOne(() => Finding, { ref: true, nullable: true })
  finding?: Ref<Finding> | null;

  @Field(() => String, { description: '内容的 SHA-256（十六进制）：记入检查记录与审计日志，可据此核验文件未被改动' })
  @Property({ type: 'character(64)' })
  sha256: string;

  @Field(() => String, { description: '文件名（上传时的名称）' })
  @Property({ type: 'text' })
  fileName: string;

  @Field(() => String, { description: '按内容识别的类型（MIME）' })
  @Property({ type: 'text' })
  mediaType: string;

  @Field(() => Int, { description: '大小（字节）' })
  @Property({ type: 'integer' })
  size: number;

  @Field(() => Int, { nullable: true, description: '图片宽度（像素）' })
  @Property({ type: 'integer', nullable: true })
  width?: number | null;

  @Field(() => Int, { nullable: true, description: '图片高度（像素）' })
  @Property({ type: 'integer', nullable: true })
  height?: number | null;

  /** Null for PDFs and images the server cannot decode (HEIC). */
  @Property({ type: 'character(64)', nullable: true })
  thumbnailSha256?: string | null;

  @Field(() => Date, { nullable: true, description: '拍摄时间（照片 EXIF，或压缩前由设备读出）' })
  @Property({ type: 'datetime', nullable: true })
  takenAt?: Date | null;

  @Field(() => Float, { nullable: true, description: '拍摄地点纬度（EXIF GPS；仅工作人员可见，不公示）' })
  @Property({ type: 'double', nullable: true })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: '拍摄地点经度（EXIF GPS；仅工作人员可见，不公示）' })
  @Property({ type: 'double', nullable: true })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: '补充理由（检查提交后补充证据时必填）' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @ManyToOne(() => User, { ref: true })
  uploadedBy: Ref<User>;

  @Field(() => Date, { description: '上传时间' })
  @Property({ type: 'datetime' })
  uploadedAt: Date = new Date();

  constructor(fields: Omit<Attachment, 'id' | 'uploadedAt'>) {
    Object.assign(this, fields);
    this.inspection = fields.inspection;
    this.sha256 = fields.sha256;
    this.fileName = fields.fileName;
    this.mediaType = fields.mediaType;
    this.size = fields.size;
    this.uploadedBy = fields.uploadedBy;
  }
}
