import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { parseId } from '../../core/ids.js';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { canSign, finaliseWithRecord, signaturesOf, signRecord } from './record.service.js';
import { RecordSignature, SignerKind } from './signature.entity.js';

@Resolver(() => Inspection)
export class InspectionRecordResolver {
  @Authorized(Role.HEAD)
  @Mutation(() => Inspection, {
    description: '发起部门负责人办结检查；此后结果不再改变。同时生成现场检查记录（PDF），其 SHA-256 记入检查（recordSha256）',
  })
  finaliseInspection(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<Inspection> {
    const inspectionId = parseId('id', id);
    return finaliseWithRecord(
      ctx.em,
      viewer,
      ctx.services.blobs,
      inspectionId,
      version,
      `${ctx.services.publicUrl}/inspections/${inspectionId}`,
    );
  }

  @Authorized(Role.OFFICER)
  @Mutation(() => RecordSignature, {
    description: '在现场检查记录上签名（检查组执法人员本人，或企业负责人在执法人员设备上签名）；办结前可重签',
  })
  signInspectionRecord(
    @Arg('inspectionId', () => ID) inspectionId: string,
    @Arg('kind', () => SignerKind) kind: SignerKind,
    @Arg('image', () => String, { description: '手写签名图片：PNG 的 base64（可为 data:image/png;base64,… 形式），300 KB 以内' })
    image: string,
    @Arg('signerName', () => String, { nullable: true, description: '企业签名人姓名（企业签名时必填）' }) signerName: string | null,
    @CurrentViewer() viewer: Viewer,
    @Ctx() ctx: HubContext,
  ): Promise<RecordSignature> {
    return signRecord(ctx.em, viewer, ctx.services.blobs, {
      inspectionId: parseId('inspectionId', inspectionId),
      kind,
      signerName,
      image,
    });
  }

  @FieldResolver(() => [RecordSignature], { description: '现场检查记录上已有的签名' })
  signatures(@Root() inspection: Inspection, @Ctx() ctx: HubContext): Promise<RecordSignature[]> {
    return signaturesOf(ctx.em, [inspection.id]);
  }

  @FieldResolver(() => Boolean, { description: '当前用户可否在现场检查记录上签名（检查组执法人员，办结前）' })
  async viewerCanSign(@Root() inspection: Inspection, @CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<boolean> {
    const team = (await ctx.loaders.linked<Officer>(Inspection, 'officers', inspection.id)).map((o) => o.id);
    return canSign(viewer, inspection, team);
  }

  @FieldResolver(() => String, { description: '现场检查记录（PDF）的下载地址（须带登录令牌）；办结前为当前状态的草稿' })
  recordUrl(@Root() inspection: Inspection): string {
    return `/api/inspections/${inspection.id}/record.pdf`;
  }
}
