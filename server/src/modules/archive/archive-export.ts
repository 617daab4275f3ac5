import type { Writable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Finding } from '../inspections/finding.entity.js';
import { FOLLOW_UP_LABELS, FollowUpMeasure, resultText } from '../inspections/finding.enums.js';
import { STATUS_NAMES } from '../inspections/inspection.service.js';
import { Publication } from '../publication/publication.entity.js';
import { Referral } from '../referrals/referral.entity.js';
import { RISK_CLASS_LABELS } from '../registry/registry.enums.js';
import { type Column, streamedWorkbook } from '../reporting/xlsx.js';
import type { ArchiveContent } from './archive.service.js';

const VISIT_COLUMNS: Column[] = [
  { header: '年度', width: 8 },
  { header: '抽查任务', width: 30 },
  { header: '发起部门', width: 16 },
  { header: '检查状态', width: 10 },
  { header: '办结日期', width: 12 },
  { header: '检查部门', width: 16 },
  { header: '检查事项', width: 40 },
  { header: '检查结果', width: 30 },
  { header: '后续处置', width: 22 },
  { header: '整改复查', width: 12 },
  { header: '问题线索移送', width: 30 },
  { header: '公示日期', width: 12 },
];

const REFERRAL_TEXT = { OPEN: '已移送', ACCEPTED: '已接收', CLOSED: '已办结' } as const;

/**
 * The credit archive as an Excel workbook: one row per item checked (with its visit's year, task,
 * lead department, state and publication), and the risk-class history on a second sheet. Exactly
 * what enterpriseArchive shows the same viewer; numbers as numbers, header frozen.
 */
export async function writeArchiveXlsx(em: EntityManager, archive: ArchiveContent, out: Writable): Promise<void> {
  const ids = archive.inspections.map((i) => i.id);
  await em.populate(archive.inspections, ['tasks', 'leadDepartment']);
  const findings = ids.length
    ? await em.find(Finding, { inspection: { $in: ids } }, { populate: ['item.department'], orderBy: { id: 'asc' } })
    : [];
  const referrals = findings.length
    ? await em.find(Referral, { finding: { $in: findings.map((f) => f.id) } }, { populate: ['toDepartment'], orderBy: { id: 'asc' } })
    : [];
  const publications = ids.length ? await em.find(Publication, { inspection: { $in: ids } }) : [];

  const book = streamedWorkbook(out);
  const visits = book.sheet('抽查记录', VISIT_COLUMNS);
  for (const inspection of archive.inspections) {
    const published = publications.find((p) => p.inspection.id === inspection.id);
    for (const f of findings.filter((x) => x.inspection.id === inspection.id)) {
      const item = f.item.getEntity();
      visits
        .addRow([
          inspection.year,
          inspection.tasks
            .getItems()
            .map((t) => t.name)
            .join('；'),
          inspection.leadDepartment.getEntity().name,
          STATUS_NAMES[inspection.status],
          inspection.completedOn ?? '',
          item.department.getEntity().name,
          item.item,
          resultText(f.results, f.problemKinds),
          `${FOLLOW_UP_LABELS[f.followUp]}${f.followUpDeadline ? `（期限 ${f.followUpDeadline}）` : ''}`,
          f.followUp === FollowUpMeasure.ORDER_CORRECTION ? (f.followUpDone ? '已复查' : '未复查') : '',
          referrals
            .filter((r) => r.finding.id === f.id)
            .map((r) => `${REFERRAL_TEXT[r.status]}·${r.toDepartment.getEntity().name}${r.result ? `：${r.result}` : ''}`)
            .join('；'),
          published?.publishedOn ?? '',
        ])
        .commit();
    }
  }
  visits.commit();
  const risks = book.sheet('信用风险分类变更', [
    { header: '变更时间', width: 20 },
    { header: '变更前', width: 12 },
    { header: '变更后', width: 12 },
    { header: '理由', width: 40 },
    { header: '来源', width: 40 },
  ]);
  for (const c of archive.riskClassChanges) {
    risks
      .addRow([c.changedAt, c.fromClass ? RISK_CLASS_LABELS[c.fromClass] : '（新增）', RISK_CLASS_LABELS[c.toClass], c.reason, c.source])
      .commit();
  }
  risks.commit();
  await book.commit();
}
