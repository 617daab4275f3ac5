import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { BadInputError, ConflictError, ForbiddenError } from '../../core/errors.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { Role } from '../../core/roles.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { type BlobStore, sha256Of } from '../attachments/blob-store.js';
import { User } from '../auth/user.entity.js';
import { METHOD_LABELS } from '../checklist/check-item.entity.js';
import { Finding } from '../inspections/finding.entity.js';
import { FOLLOW_UP_LABELS, ResultCategory, resultText } from '../inspections/finding.enums.js';
import { Inspection, InspectionStatus } from '../inspections/inspection.entity.js';
import {
  announceInspection,
  finaliseInspection,
  lockInspection,
  onTeam,
  readInspection,
  teamOf,
} from '../inspections/inspection.service.js';
import { Officer } from '../registry/officer.entity.js';
import { type RecordContent, renderRecordPdf } from './record-pdf.js';
import { RecordSignature, SignerKind } from './signature.entity.js';

const STATUS_TEXT: Record<InspectionStatus, string> = {
  ASSIGNED: '草稿：检查尚未开始',
  IN_PROGRESS: '草稿：检查进行中',
  SUBMITTED: '草稿：已提交，待办结',
  FINALISED: '已办结',
};

/** A signature image: a PNG drawn on the phone, small. */
const MAX_SIGNATURE_BYTES = 300 * 1024;

/** Gathers what the record prints, in the caller's transaction. */
async function recordContent(em: EntityManager, store: BlobStore, inspection: Inspection, link: string): Promise<RecordContent> {
  await em.populate(inspection, ['enterprise', 'leadDepartment', 'officers.department', 'items.department', 'tasks.plan']);
  const findings = await em.find(Finding, { inspection }, { populate: ['item', 'officer'] });
  const attachments = await em.find(Attachment, { inspection }, { orderBy: { id: 'asc' }, populate: ['finding.item'] });
  const signatures = await em.find(RecordSignature, { inspection }, { orderBy: { id: 'asc' }, populate: ['officer'] });
  const findingOf = (itemId: number) => findings.find((f) => f.item.id === itemId);
  const measureOf = (f: Finding) => `${FOLLOW_UP_LABELS[f.followUp]}${f.followUpDeadline ? `（期限 ${f.followUpDeadline}）` : ''}`;

  const departments = new Map<number, RecordContent['departments'][number]>();
  for (const item of inspection.items.getItems()) {
    const department = item.department.getEntity();
    const group = departments.get(department.id) ?? { name: department.name, items: [] };
    departments.set(department.id, group);
    const finding = findingOf(item.id);
    group.items.push({
      code: item.code,
      item: item.item,
      legalBasis: item.legalBasis ?? null,
      method: METHOD_LABELS[finding?.method ?? item.method],
      result: finding ? resultText(finding.results, finding.problemKinds) : '未录入',
      measure: finding ? measureOf(finding) : '—',
      notes: finding?.notes ?? '',
      officer: finding ? finding.officer.getEntity().name : null,
    });
  }
  return {
    inspectionId: inspection.id,
    statusText: STATUS_TEXT[inspection.status],
    plans: [...new Set(inspection.tasks.getItems().map((t) => t.plan.getEntity().name))],
    tasks: inspection.tasks.getItems().map((t) => t.name),
    enterprise: {
      name: inspection.enterprise.getEntity().name,
      uscc: inspection.enterprise.getEntity().uscc,
      address: inspection.enterprise.getEntity().address ?? null,
      legalRepresentative: inspection.enterprise.getEntity().legalRepresentative ?? null,
    },
    leadDepartment: inspection.leadDepartment.getEntity().name,
    scheduledAt: inspection.scheduledAt ?? null,
    startedAt: inspection.startedAt ?? null,
    finalisedAt: inspection.finalisedAt ?? null,
    officers: inspection.officers.getItems().map((o) => ({
      name: o.name,
      department: o.department.getEntity().name,
      certificateNo: o.certificateNo,
    })),
    departments: [...departments.values()],
    problems: findings
      .filter((f) => !f.results.includes(ResultCategory.NO_PROBLEM))
      .map((f) => ({ item: f.item.getEntity().item, result: resultText(f.results, f.problemKinds), measure: measureOf(f) })),
    attachments: attachments.map((a) => ({
      fileName: a.fileName,
      sha256: a.sha256,
      of: a.finding ? `检查事项：${a.finding.getEntity().item.getEntity().item}` : '整次检查',
      takenAt: a.takenAt ?? null,
    })),
    signatures: await Promise.all(
      signatures.map(async (s) => ({
        kind: s.kind,
        name: s.signerName,
        image: await store.get(s.sha256),
        signedAt: s.signedAt,
        officerCertificateNo: s.officer?.getEntity().certificateNo ?? null,
      })),
    ),
    link,
    generatedAt: new Date(),
  };
}

/**
 * The visit's 现场检查记录 as a PDF: once finalised, the one kept then (its hash is on the visit
 * and is checked as it is read); before that, a draft made now from the current state.
 */
export async function recordPdf(
  em: EntityManager,
  viewer: Viewer,
  store: BlobStore,
  id: number,
  link: string,
): Promise<{ pdf: Buffer; sha256: string; final: boolean; fileName: string }> {
  const inspection = await readInspection(em, viewer, id);
  const fileName = `现场检查记录-${id}.pdf`;
  if (inspection.recordSha256) {
    const pdf = await store.get(inspection.recordSha256);
    if (sha256Of(pdf) !== inspection.recordSha256) throw new Error(`stored record of inspection ${id} does not match its hash`);
    return { pdf, sha256: inspection.recordSha256, final: true, fileName };
  }
  const pdf = await renderRecordPdf(await recordContent(em, store, inspection, link));
  return { pdf, sha256: sha256Of(pdf), final: false, fileName };
}

/** 办结: the head finalises the visit and the record is made, stored and its hash kept with the visit, together. */
export async function finaliseWithRecord(
  em: EntityManager,
  viewer: Viewer,
  store: BlobStore,
  id: number,
  version: number,
  link: string,
): Promise<Inspection> {
  return em.transactional(async (tx) => {
    const inspection = await finaliseInspection(tx, viewer, id, version);
    const pdf = await renderRecordPdf(await recordContent(tx, store, inspection, link));
    const sha256 = sha256Of(pdf);
    await store.put(sha256, pdf, 'application/pdf');
    inspection.recordSha256 = sha256;
    await tx.flush();
    return inspection;
  });
}

export interface SignatureInput {
  inspectionId: number;
  kind: SignerKind;
  /** The enterprise's signer (kind ENTERPRISE); an officer signs under their own name. */
  signerName: string | null;
  /** PNG, base64 (a data: URL is accepted). */
  image: string;
}

/**
 * A signature drawn on the phone: an officer of the team signs for themself; the enterprise's
 * representative signs on a team officer's phone. Before the visit is finalised; signing again
 * replaces the earlier one.
 */
export async function signRecord(em: EntityManager, viewer: Viewer, store: BlobStore, input: SignatureInput): Promise<RecordSignature> {
  const png = Buffer.from(input.image.replace(/^data:image\/png;base64,/, ''), 'base64');
  if (png.length === 0) throw new BadInputError('image', '签名为空');
  if (png.length > MAX_SIGNATURE_BYTES) throw new BadInputError('image', `签名图片超过 ${MAX_SIGNATURE_BYTES / 1024} KB`);
  if ((await fileTypeFromBuffer(png))?.mime !== 'image/png') throw new BadInputError('image', '签名应为 PNG 图片');
  await sharp(png, { failOn: 'error' })
    .metadata()
    .catch(() => {
      throw new BadInputError('image', '签名图片已损坏');
    });
  const sha256 = sha256Of(png);
  await store.put(sha256, png, 'image/png');
  return em.transactional(async (tx) => {
    const inspection = await lockInspection(tx, viewer, input.inspectionId);
    await tx.populate(inspection, ['officers', 'tasks']);
    const team = teamOf(inspection);
    if (!hasRole(viewer, Role.OFFICER) || !onTeam(viewer, team)) throw new ForbiddenError('只有检查组的执法人员可以在现场检查记录上签名');
    if (inspection.status === InspectionStatus.FINALISED) throw new ConflictError('检查已办结，记录不能再签名');
    let officer: Officer | null = null;
    let signerName: string;
    if (input.kind === SignerKind.OFFICER) {
      officer = await tx.findOneOrFail(Officer, viewer.officerId!);
      signerName = officer.name;
    } else {
      signerName = input.signerName?.trim() ?? '';
      if (!signerName || signerName.length > 50) throw new BadInputError('signerName', '请填写企业签名人姓名（50 字以内）');
    }
    const earlier = await tx.findOne(RecordSignature, { inspection, kind: input.kind, officer });
    if (earlier) tx.remove(earlier);
    await tx.flush();
    const signature = new RecordSignature({
      inspection: ref(inspection),
      kind: input.kind,
      officer: officer ? ref(officer) : null,
      signerName,
      sha256,
      signedBy: ref(tx.getReference(User, viewer.userId)),
    });
    tx.persist(signature);
    await announceInspection(tx, inspection, viewer.userId);
    return signature;
  });
}

/** Who may sign on this visit now (the client shows the pad only then). */
export function canSign(viewer: Viewer, inspection: Inspection, teamOfficerIds: readonly number[]): boolean {
  return hasRole(viewer, Role.OFFICER) && onTeam(viewer, teamOfficerIds) && inspection.status !== InspectionStatus.FINALISED;
}

export async function signaturesOf(em: EntityManager, inspectionIds: number[]): Promise<RecordSignature[]> {
  return em.find(RecordSignature, { inspection: { $in: inspectionIds } }, { orderBy: { id: 'asc' } });
}
