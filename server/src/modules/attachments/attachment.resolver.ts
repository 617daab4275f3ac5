import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { parseId } from '../../core/ids.js';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { User } from '../auth/user.entity.js';
import { Finding } from '../inspections/finding.entity.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { Attachment } from './attachment.entity.js';
import { canAddEvidence, removalRefusal, removeAttachment } from './attachment.service.js';

async function teamIds(inspectionId: number, ctx: HubContext): Promise<number[]> {
  return (await ctx.loaders.linked<Officer>(Inspection, 'officers', inspectionId)).map((o) => o.id);
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Mutation(() => Attachment, {
    description: '删除证据（仅检查提交前；上传人或发起部门）。上传证据经 HTTP：POST /api/inspections/{id}/attachments',
  })
  removeAttachment(@Arg('id', () => ID) id: string, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<Attachment> {
    return removeAttachment(ctx.em, viewer, parseId('id', id));
  }

  @FieldResolver(() => ID, { nullable: true, description: '所属检查结果（空：整次检查的证据）' })
  findingId(@Root() attachment: Attachment): string | null {
    return attachment.finding ? String(attachment.finding.id) : null;
  }

  @FieldResolver(() => String, { description: '下载地址（须带登录令牌：Authorization: Bearer …）' })
  url(@Root() attachment: Attachment): string {
    return `/api/attachments/${attachment.id}`;
  }

  @FieldResolver(() => String, { nullable: true, description: '缩略图地址（PDF、HEIC 无缩略图）' })
  thumbnailUrl(@Root() attachment: Attachment): string | null {
    return attachment.thumbnailSha256 ? `/api/attachments/${attachment.id}/thumbnail` : null;
  }

  @FieldResolver(() => String, { description: '上传人' })
  async uploadedBy(@Root() attachment: Attachment, @Ctx() ctx: HubContext): Promise<string> {
    return (await ctx.loaders.loadOrFail(User, attachment.uploadedBy.id)).displayName;
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否删除该证据（检查提交前，上传人或发起部门）' })
  async viewerCanRemove(@Root() attachment: Attachment, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    const inspection = await ctx.loaders.loadOrFail(Inspection, attachment.inspection.id);
    return !removalRefusal(viewer, inspection, await teamIds(inspection.id, ctx), attachment);
  }
}

@Resolver(() => Inspection)
export class InspectionEvidenceResolver {
  @FieldResolver(() => [Attachment], { description: '本次检查的全部证据（含各检查结果的），按上传先后' })
  attachments(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<Attachment[]> {
    return ctx.loaders.inspectionAttachments(inspection.id);
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否上传证据（检查组成员或发起部门；提交后补充须填写理由）' })
  async viewerCanAddEvidence(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    return canAddEvidence(viewer, inspection, await teamIds(inspection.id, ctx));
  }
}

@Resolver(() => Finding)
export class FindingEvidenceResolver {
  @FieldResolver(() => [Attachment], { description: '该检查结果的证据（照片、文件），按上传先后' })
  async attachments(@Root() finding: Finding, @Ctx() ctx: HubContext): Promise<Attachment[]> {
    return (await ctx.loaders.inspectionAttachments(finding.inspection.id)).filter((a) => a.finding?.id === finding.id);
  }
}
