import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../core/viewer.js';
import { logger } from '../../logger.js';
import type { Orm } from '../../db/orm.js';
import { viewerOf } from '../auth/token.service.js';
import { User } from '../auth/user.entity.js';
import { Department } from '../departments/department.entity.js';
import { addDrawEntropy, openDraw } from '../draws/draw.service.js';
import { revealDraw } from '../draws/reveal.service.js';
import { FollowUpMeasure, ProblemKind, ResultCategory } from '../inspections/finding.enums.js';
import { Inspection } from '../inspections/inspection.entity.js';
import { recordFinding, submitInspection } from '../inspections/inspection.service.js';
import type { BlobStore } from '../attachments/blob-store.js';
import { finaliseWithRecord } from '../records/record.service.js';
import { InspectionMethod } from '../checklist/check-item.entity.js';
import { Task } from '../plans/task.entity.js';
import { decideCorrection, requestCorrection } from '../publication/corrections.service.js';
import { publishInspections } from '../publication/publish.service.js';
import { chinaDate } from '../../core/dates.js';

/** The joint task the demo draws: 报废机动车 (commerce leads; market supervision and police bring items). */
const DEMO_TASK_SEQ = 2;

/** A demo account as the services see it. */
async function demoViewer(em: EntityManager, username: string): Promise<Viewer> {
  return viewerOf(await em.findOneOrFail(User, { username }), Number.MAX_SAFE_INTEGER);
}

/**
 * What the demo shows besides the plan: one witnessed draw of a joint task, its visits in every
 * state, two results published (one of them corrected) and one waiting on the due list. All of it
 * goes through the services the API calls, with their rules. Each result is entered by the drawn
 * team member of that department, with their own account (every demo officer has one).
 */
export async function seedDemoActivity(
  orm: Orm,
  records: { store: BlobStore; publicUrl: string },
): Promise<{ inspections: number; finalised: number; published: number }> {
  const em = () => orm.em.fork();
  const task = await em().findOne(Task, { seq: DEMO_TASK_SEQ, plan: { year: 2026 }, leadDepartment: { code: 'commerce' } });
  if (!task) return { inspections: 0, finalised: 0, published: 0 };
  const staff = await demoViewer(em(), 'commerce.staff');
  const head = await demoViewer(em(), 'commerce.head');

  const draw = await openDraw(em(), staff, [task.id]);
  await addDrawEntropy(em(), await demoViewer(em(), 'commerce.witness'), draw.id, '演示：纪检监察见证人掷骰 3-5-6');
  await revealDraw(em(), staff, draw.id, `demo-${draw.id}`);
  const visits = await em().find(
    Inspection,
    { draw: draw.id },
    { populate: ['officers', 'items'], orderBy: { round: 'asc', position: 'asc' }, limit: 4 },
  );

  // Up to three visits get every result and are finalised; the next is left in progress with one
  // result, so a visitor can finish it with the team's own logins (README tour).
  // (A registry so small that the draw finds one firm: that visit is finalised and published.)
  const open = visits.length === 1 ? 1 : Math.min(3, visits.length - 1);
  const finalised: Inspection[] = [];
  for (const [n, visit] of visits.entries()) {
    const items = visit.items.getItems();
    const officers = visit.officers.getItems();
    for (const [i, item] of items.entries()) {
      if (n === open && i > 0) break;
      const officer = officers.find((o) => o.department.id === item.department.id);
      if (!officer) continue;
      // The drawn team member enters it, signed in as themself.
      const account = await em().findOneOrFail(User, { officer: officer.id });
      const problem = n === 1 && i === 0;
      await recordFinding(em(), viewerOf(account, Number.MAX_SAFE_INTEGER), visit.id, item.id, {
        results: [problem ? ResultCategory.PROBLEM_PENDING : ResultCategory.NO_PROBLEM],
        problemKinds: problem ? [ProblemKind.NOT_DISCLOSED] : [],
        followUp: problem ? FollowUpMeasure.ORDER_CORRECTION : FollowUpMeasure.NONE,
        followUpDeadline: problem ? chinaDate(new Date(Date.now() + 15 * 86_400_000)) : undefined,
        method: InspectionMethod.ON_SITE,
        notes: problem ? '未按规定公示年度报告，已当场告知并责令限期改正' : '',
      });
    }
    if (n === open) break;
    const current = await em().findOneOrFail(Inspection, visit.id);
    const submitted = await submitInspection(em(), staff, visit.id, current.version);
    finalised.push(
      await finaliseWithRecord(em(), head, records.store, visit.id, submitted.version, `${records.publicUrl}/inspections/${visit.id}`),
    );
  }

  // Two published; the third stays on the due list. Market supervision corrects one of its items.
  const published = finalised.length
    ? await publishInspections(
        em(),
        staff,
        finalised.slice(0, 2).map((i) => i.id),
      )
    : [];
  const market = await em().findOneOrFail(Department, { code: 'market' });
  const marketItem = visits[0]?.items.getItems().find((i) => i.department.id === market.id);
  if (published[0] && marketItem) {
    const correction = await requestCorrection(
      em(),
      await demoViewer(em(), 'market.staff'),
      published[0].id,
      '复核现场记录：企业即时公示信息存在遗漏，原录入为“未发现问题”有误',
      [{ itemId: marketItem.id, results: [ResultCategory.PROBLEM_CORRECTED] }],
    );
    await decideCorrection(em(), await demoViewer(em(), 'market.head'), correction.id, correction.version, true, '同意更正');
  }
  const report = { inspections: visits.length, finalised: finalised.length, published: published.length };
  logger.info(report, 'demo activity seeded');
  return report;
}
