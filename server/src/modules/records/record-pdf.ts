import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** Noto Sans SC (SIL Open Font License) from the npm registry: every install has it, no system font needed. */
const FONT = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json')),
  '400Regular',
  'NotoSansSC_400Regular.ttf',
);

/** Everything the 现场检查记录 prints, gathered by record.service.ts. */
export interface RecordContent {
  inspectionId: number;
  statusText: string;
  plans: string[];
  tasks: string[];
  enterprise: { name: string; uscc: string; address: string | null; legalRepresentative: string | null };
  leadDepartment: string;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finalisedAt: Date | null;
  officers: { name: string; department: string; certificateNo: string }[];
  departments: {
    name: string;
    items: {
      code: string;
      item: string;
      legalBasis: string | null;
      method: string;
      result: string;
      measure: string;
      notes: string;
      officer: string | null;
    }[];
  }[];
  problems: { item: string; result: string; measure: string }[];
  attachments: { fileName: string; sha256: string; of: string; takenAt: Date | null }[];
  signatures: { kind: 'OFFICER' | 'ENTERPRISE'; name: string; image: Buffer; signedAt: Date; officerCertificateNo: string | null }[];
  /** The visit's page, for the QR code (staff sign in to open it). */
  link: string;
  generatedAt: Date;
}

/** The ideographic space between fields of a line (as printed forms use). */
const GAP = '\u3000';

const chinaTime = (d: Date | null) =>
  d ? d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, dateStyle: 'medium', timeStyle: 'short' }) : '—';

/**
 * Renders the record as an A4 PDF with the CJK font embedded (subset), so the text is
 * searchable and extractable; signatures are the images drawn on the phone, or lines for a wet
 * signature where none was drawn.
 */
export async function renderRecordPdf(content: RecordContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `现场检查记录 ${content.enterprise.name}`, Author: '双随机联合抽查协同平台', CreationDate: content.generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', FONT);
  doc.font('cjk');
  const width = doc.page.width - 96;

  const heading = (text: string) => {
    doc.moveDown(0.6).fontSize(12).fillColor('#000').text(text);
    doc
      .moveTo(48, doc.y + 2)
      .lineTo(48 + width, doc.y + 2)
      .lineWidth(0.5)
      .strokeColor('#999')
      .stroke();
    doc.moveDown(0.4).fontSize(9.5);
  };
  const field = (label: string, value: string) =>
    doc.fontSize(9.5).fillColor('#555').text(`${label}：`, { continued: true }).fillColor('#000').text(value);

  const qr = await QRCode.toBuffer(content.link, { type: 'png', margin: 1, width: 180 });
  doc.image(qr, 48 + width - 72, 40, { width: 72 });
  doc.fontSize(18).text('现场检查记录', 48, 52, { align: 'center', width });
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(`（“双随机、一公开”联合抽查 · 检查编号 ${content.inspectionId} · ${content.statusText}）`, { align: 'center', width });
  doc.moveDown(1.2).fillColor('#000');

  heading('一、检查对象与任务');
  field('被检查单位', content.enterprise.name);
  field('统一社会信用代码', content.enterprise.uscc);
  field('住所（检查地点）', content.enterprise.address ?? '—');
  field('法定代表人（负责人）', content.enterprise.legalRepresentative ?? '—');
  field('抽查计划', content.plans.join('；') || '—');
  field('抽查任务', content.tasks.join('；') || '—');
  field('发起部门', content.leadDepartment);
  field('约定检查时间', chinaTime(content.scheduledAt));
  field('开始检查时间', chinaTime(content.startedAt));

  heading('二、检查人员（亮证执法）');
  for (const o of content.officers) doc.text(`${o.name}${GAP}${o.department}${GAP}执法证号 ${o.certificateNo}`);

  heading('三、检查事项与结果（进一次门、查多项事）');
  for (const department of content.departments) {
    doc.fontSize(10.5).fillColor('#000').text(department.name);
    for (const [index, item] of department.items.entries()) {
      doc.fontSize(9.5).text(`${index + 1}. ${item.item}（${item.code}，${item.method}）`, { indent: 8 });
      if (item.legalBasis) doc.fontSize(8.5).fillColor('#555').text(`检查依据：${item.legalBasis}`, { indent: 20 }).fillColor('#000');
      doc
        .fontSize(9.5)
        .text(`结果：${item.result}${GAP}处置：${item.measure}${item.officer ? `${GAP}录入：${item.officer}` : ''}`, { indent: 20 });
      if (item.notes) doc.text(`备注：${item.notes}`, { indent: 20 });
    }
    doc.moveDown(0.3);
  }

  heading('四、发现的问题及处理措施');
  if (content.problems.length === 0) doc.text('未发现问题。');
  for (const p of content.problems) doc.text(`· ${p.item}：${p.result}；${p.measure}`);

  heading('五、证据清单（按内容 SHA-256 核验）');
  if (content.attachments.length === 0) doc.text('无。');
  for (const a of content.attachments) {
    doc.fontSize(9).text(`· ${a.fileName}（${a.of}${a.takenAt ? `，拍摄于 ${chinaTime(a.takenAt)}` : ''}）`);
    doc.fontSize(7.5).fillColor('#555').text(`SHA-256 ${a.sha256}`, { indent: 10 }).fillColor('#000');
  }

  heading('六、签名');
  const signer = (label: string, signature: RecordContent['signatures'][number] | undefined) => {
    if (doc.y > doc.page.height - 140) doc.addPage();
    const top = doc.y;
    doc.fontSize(9.5).text(label, 48, top, { width: 200 });
    if (signature) {
      doc.image(signature.image, 260, top - 6, { fit: [160, 48] });
      doc.fontSize(8).fillColor('#555').text(chinaTime(signature.signedAt), 430, top, { width: 120 }).fillColor('#000');
    } else {
      doc
        .moveTo(260, top + 30)
        .lineTo(420, top + 30)
        .lineWidth(0.5)
        .strokeColor('#000')
        .stroke();
      doc
        .fontSize(8)
        .fillColor('#555')
        .text('（手写签名）　年　月　日', 430, top + 18, { width: 120 })
        .fillColor('#000');
    }
    doc.x = 48;
    doc.y = top + 56;
  };
  for (const o of content.officers) {
    signer(
      `检查人员：${o.name}（${o.certificateNo}）`,
      content.signatures.find((s) => s.kind === 'OFFICER' && s.officerCertificateNo === o.certificateNo),
    );
  }
  const enterprise = content.signatures.find((s) => s.kind === 'ENTERPRISE');
  signer(`被检查单位负责人或委托人员${enterprise ? `：${enterprise.name}` : ''}`, enterprise);

  doc
    .fontSize(7.5)
    .fillColor('#777')
    .text(`生成于 ${chinaTime(content.generatedAt)}${GAP}扫码查看检查（须登录）：${content.link}`, 48, doc.y + 6, { width });
  doc.end();
  return done;
}
