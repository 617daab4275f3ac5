import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError } from '../../../core/errors.js';
import { CheckItem } from '../../checklist/check-item.entity.js';
import { Department, DepartmentLevel, Region } from '../../departments/department.entity.js';
import { emitEvent } from '../../events/event.service.js';
import { EventType } from '../../events/event-types.js';
import { Industry } from '../../registry/industry.entity.js';
import { PlanStatus } from '../plan.enums.js';
import { Plan } from '../plan.entity.js';
import { Ratio } from '../ratio.embeddable.js';
import { Task } from '../task.entity.js';
import type { ParsedPlanDocument } from './plan-document.js';
import { readPlanFile } from './plan-file.js';
import { parseScope } from './plan-cells.js';
import { ImportStatus } from '../../imports/import-job.entity.js';
import type { ImportRunner } from '../../imports/import-job.service.js';

/** Words in a task's name, scope or items that place it in an industry of the registry. */
const INDUSTRY_KEYWORDS: Record<string, string[]> = {
  'C-CAR-SALES': ['汽车销售'],
  'C-USED-CAR': ['二手车'],
  'C-SCRAP-VEHICLE': ['报废机动车', '报废汽车'],
  'C-PREPAID-CARD': ['单用途', '预付卡'],
  'C-FOREIGN-INVEST': ['外商投资', '外国投资者'],
  'C-AUCTION': ['拍卖'],
  'C-FRANCHISE': ['特许经营'],
};

function industriesIn(text: string): string[] {
  return Object.entries(INDUSTRY_KEYWORDS)
    .filter(([, words]) => words.some((w) => text.includes(w)))
    .map(([code]) => code);
}

export interface PlanImportResult {
  /** One plan per task table (a document often holds the joint plan and the internal plan). */
  plans: Plan[];
  tasks: number;
  checkItems: number;
  warnings: string[];
}

/** Department names as plans write them, resolved against the registry of departments. */
class DepartmentNames {
  constructor(
    private readonly departments: Department[],
    private readonly regions: Map<number, Region>,
    /** The publishing department: its county decides which 县工信局 a county plan means. */
    public home: Department | null,
  ) {}

  /** Full name, code, a short name that is unique, or a county short name in the home county. */
  resolve(name: string): Department | null {
    const exact = this.departments.find((d) => d.name === name || d.code === name || this.qualified(d) === name);
    if (exact) return exact;
    const short = this.departments.filter((d) => d.shortName === name);
    if (short.length === 1) return short[0];
    if (short.length > 1 && this.home) return short.find((d) => d.region.id === this.home!.region.id) ?? null;
    return null;
  }

  /** 沁水县 + 工信局 → 沁水县工信局: how a county bureau names itself in a title. */
  qualified(d: Department): string {
    return `${this.regions.get(d.region.id)?.name ?? ''}${d.shortName.replace(/^[县区市]/, '')}`;
  }

  /** The department that published the plan, read from its title. */
  fromTitle(title: string): Department | null {
    let best: Department | null = null;
    let length = 0;
    for (const d of this.departments) {
      for (const candidate of [d.name, this.qualified(d)]) {
        if (candidate && title.includes(candidate) && candidate.length > length) {
          best = d;
          length = candidate.length;
        }
      }
    }
    return best;
  }
}

/**
 * Stores a parsed plan document: the check-item list (upserted by code) and the plan with its
 * tasks, in one transaction. Names that cannot be tied to a department, region or industry stay
 * in the task's original text and come back as warnings, never dropped.
 */
export async function importPlanDocument(
  em: EntityManager,
  doc: ParsedPlanDocument,
  options: { departmentCode?: string; actorId?: number } = {},
): Promise<PlanImportResult> {
  if (doc.tasks.length === 0) throw new BadInputError('file', '文件中没有找到抽查计划表（应有包含“序号”“抽查任务名称”的表头行）');
  if (!doc.year) throw new BadInputError('file', `无法从标题“${doc.title}”中识别计划年度（如“2026年度”）`);
  const year = doc.year;
  return em.transactional(async (tx) => {
    const departments = await tx.findAll(Department);
    const regions = await tx.findAll(Region);
    const regionById = new Map(regions.map((r) => [r.id, r]));
    const industries = new Map((await tx.findAll(Industry)).map((i) => [i.code, i]));
    let home: Department | null = null;
    if (options.departmentCode) {
      home = departments.find((d) => d.code === options.departmentCode) ?? null;
      if (!home) throw new BadInputError('department', `未知部门代码“${options.departmentCode}”`);
    }
    const names = new DepartmentNames(departments, regionById, home);
    home ??= names.fromTitle(doc.title);
    names.home = home;
    if (!home) throw new BadInputError('department', `无法从标题“${doc.title}”识别发布计划的部门，请指定部门`);
    const homeDept = home;
    const warnings: string[] = [];

    const tables = [...new Set(doc.tasks.map((t) => t.tableTitle))];
    for (const title of tables) {
      if (await tx.count(Plan, { department: homeDept, year, name: title })) {
        throw new ConflictError(`${homeDept.name}${year}年度的“${title}”已导入；如需调整请修改任务`);
      }
    }

    // The check-item list (一单): codes follow the table's numbering so a re-import updates in place.
    const itemsByCode = new Map((await tx.find(CheckItem, { department: homeDept, year })).map((i) => [i.code, i]));
    const counters = new Map<number | null, number>();
    let checkItems = 0;
    for (const parsed of doc.checkItems) {
      const n = (counters.get(parsed.seq) ?? 0) + 1;
      counters.set(parsed.seq, n);
      const code = `${year}-${String(parsed.seq ?? 0).padStart(2, '0')}-${n}`;
      const item =
        itemsByCode.get(code) ?? new CheckItem(ref(homeDept), year, code, parsed.category, parsed.item, parsed.kind, parsed.method);
      Object.assign(item, {
        category: parsed.category,
        item: parsed.item,
        kind: parsed.kind,
        method: parsed.method,
        target: parsed.target || undefined,
        legalBasis: parsed.basis || undefined,
      });
      tx.persist(item);
      itemsByCode.set(code, item);
      checkItems++;
      for (const w of parsed.warnings) warnings.push(`事项清单第 ${parsed.seq ?? '?'} 项：${w}`);
    }
    const allItems = [...itemsByCode.values()];

    const plans = new Map(
      tables.map((title) => {
        const plan = new Plan(ref(homeDept), year, title || doc.title);
        plan.status = PlanStatus.DRAFT;
        tx.persist(plan);
        return [title, plan] as const;
      }),
    );
    const involved = new Set<number>([homeDept.id]);
    let seqFallback = 1000;
    for (const parsed of doc.tasks) {
      const plan = plans.get(parsed.tableTitle)!;
      const taskWarnings = [...parsed.warnings];
      const leads = parsed.lead.map((n) => [n, names.resolve(n)] as const);
      const partners = parsed.partners.map((n) => [n, names.resolve(n)] as const);
      for (const [n, d] of [...leads, ...partners]) if (!d) taskWarnings.push(`未能识别部门“${n}”，已保留原文`);
      const lead = leads.find(([, d]) => d)?.[1] ?? homeDept;
      // A second 发起部门 takes part like a partner; the published text keeps both.
      const partnerDepts = [...leads.slice(1), ...partners]
        .map(([, d]) => d)
        .filter((d): d is Department => d !== null && d.id !== lead.id);

      const ratio = new Ratio(parsed.ratio.kind, parsed.ratio.text);
      ratio.percent = parsed.ratio.percent ?? undefined;
      ratio.atLeast = parsed.ratio.atLeast;
      ratio.count = parsed.ratio.count ?? undefined;
      ratio.perRiskClass = parsed.ratio.perRiskClass;
      const task = new Task(ref(plan), parsed.seq ?? seqFallback++, parsed.name, ref(lead), ratio);
      task.itemsText = parsed.source['抽查事项'] ?? parsed.items.join('；');
      const scope = parseScope(parsed.scope);
      task.scopeText = scope.text;
      task.frequencyPerYear = parsed.frequencyPerYear ?? undefined;
      task.windowFromMonth = parsed.window?.fromMonth;
      task.windowToMonth = parsed.window?.toMonth;
      task.riskRuleText = parsed.riskRule;
      task.riskStratified = /风险/.test(parsed.riskRule) && /递[增加]|分别/.test(parsed.riskRule);
      task.modes = parsed.modes;
      task.drawType = parsed.drawType ?? undefined;
      task.joint = parsed.joint && partnerDepts.length > 0;
      task.sourceText = parsed.source;
      task.partnerDepartments.set(partnerDepts);

      const scopeRegions = scope.regions
        ? regions.filter((r) => scope.regions!.includes(r.name))
        : regions.filter(
            (r) =>
              r.parent && (parsed.scope.includes(r.name) || (parsed.scope.includes(r.name.replace(/[县市区]$/, '')) && r.name.length > 2)),
          );
      if (scopeRegions.length === 0 && homeDept.level === DepartmentLevel.COUNTY) scopeRegions.push(regionById.get(homeDept.region.id)!);
      task.scopeRegions.set(scopeRegions);
      // Industries the hub named in 【行业：…】, or the plans' usual words for them.
      const industryCodes = scope.industries
        ? [...industries.values()].filter((i) => scope.industries!.includes(i.name)).map((i) => i.code)
        : industriesIn(`${parsed.name} ${parsed.scope}`);
      task.scopeIndustries.set(industryCodes.map((c) => industries.get(c)).filter((i): i is Industry => i !== undefined));
      if (industryCodes.length === 0) taskWarnings.push('未能从任务名称和范围识别行业，抽取前请补充抽查对象范围');
      // Items the cell names word for word (a plan exported by the hub), each department's own;
      // otherwise the list's items of the task's industries.
      const taking = [lead.id, ...partnerDepts.map((d) => d.id)];
      const listed = parsed.items.length
        ? await tx.find(
            CheckItem,
            { item: { $in: parsed.items }, department: { $in: taking }, retiredAt: null },
            { orderBy: { year: 'desc', id: 'asc' } },
          )
        : [];
      const candidates = [...allItems.filter((i) => taking.includes(i.department.id)), ...listed];
      const named = parsed.items.map((text) => candidates.find((i) => i.item === text));
      const linked =
        named.length > 0 && named.every((i) => i !== undefined)
          ? (named as CheckItem[])
          : allItems.filter((i) => industriesIn(`${i.category} ${i.target ?? ''}`).some((c) => industryCodes.includes(c)));
      task.items.set(linked);
      tx.persist(task);
      for (const d of [lead, ...partnerDepts]) involved.add(d.id);
      for (const w of taskWarnings) warnings.push(`任务 ${parsed.seq ?? '?'}“${parsed.name}”：${w}`);
    }
    await tx.flush();
    for (const plan of plans.values()) {
      await emitEvent(
        tx,
        EventType.PLAN_IMPORTED,
        [...involved],
        {
          planId: plan.id,
          year,
          departmentId: homeDept.id,
          tasks: doc.tasks.filter((t) => plans.get(t.tableTitle) === plan).length,
          checkItems,
        },
        options.actorId,
      );
    }
    return { plans: [...plans.values()], tasks: doc.tasks.length, checkItems, warnings };
  });
}

/** An import job for a published plan: stored as draft plans of the uploader's department. */
export const planImportRunner: ImportRunner = async ({ path, viewer, fork }) => {
  const doc = await readPlanFile(path);
  const em = fork();
  const department = await em.findOneOrFail(Department, viewer.departmentId);
  const result = await importPlanDocument(em, doc, { departmentCode: department.code, actorId: viewer.userId });
  return {
    status: ImportStatus.SUCCEEDED,
    report: {
      plans: result.plans.map((p) => ({ id: p.id, name: p.name, year: p.year })),
      tasks: result.tasks,
      checkItems: result.checkItems,
      warnings: result.warnings,
    },
    rows: result.tasks,
  };
};
