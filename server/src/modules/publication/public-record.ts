import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ForbiddenError } from '../../core/errors.js';
import type { CheckItem } from '../checklist/check-item.entity.js';
import { Department } from '../departments/department.entity.js';
import type { ProblemKind, ResultCategory } from '../inspections/finding.enums.js';
import { Finding } from '../inspections/finding.entity.js';
import type { Inspection } from '../inspections/inspection.entity.js';
import type { DrawType } from '../plans/plan.enums.js';

/**
 * The public record of an inspection (the 一公开 list's columns): plans and tasks, 抽查机关, the
 * firm, the completion date and each item's result. Officers are deliberately absent: nothing
 * here names who inspected. Stored as JSON in each publication version, exactly as published.
 */
export interface PublicRecord {
  tasks: PublicTaskRef[];
  enterpriseName: string;
  uscc: string;
  completedOn: string;
  items: PublicItem[];
}

export interface PublicTaskRef {
  taskId: number;
  /** 抽查计划编号: the plan's document number when it has one. */
  planNo: string;
  planName: string;
  /** 抽查任务编号: year, plan and row, e.g. 2026001003. */
  taskNo: string;
  taskName: string;
  drawType: DrawType | null;
}

export interface PublicItem {
  itemId: number;
  /** 抽查机关 of this item: the department whose item it is. */
  departmentId: number;
  department: string;
  category: string;
  item: string;
  results: ResultCategory[];
  problemKinds: ProblemKind[];
  /** Set on the items a correction changed, in the version that changed them. */
  corrected?: boolean;
}

/** A correction's new result for one item. */
export interface ResultChange {
  itemId: number;
  results: ResultCategory[];
  problemKinds: ProblemKind[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Builds the records of finalised inspections from their tasks, items and findings — one query
 * per relation for the whole batch, however many inspections it holds.
 */
export async function buildPublicRecords(tx: EntityManager, inspections: Inspection[]): Promise<Map<number, PublicRecord>> {
  await tx.populate(inspections, ['enterprise', 'tasks.plan', 'items']);
  const findings = new Map<string, Finding>();
  for (const f of await tx.find(Finding, { inspection: { $in: inspections.map((i) => i.id) } }))
    findings.set(`${f.inspection.id}:${f.item.id}`, f);
  const departmentIds = [...new Set(inspections.flatMap((i) => i.items.getItems().map((item) => item.department.id)))];
  const names = new Map((await tx.find(Department, { id: { $in: departmentIds } })).map((d) => [d.id, d.name]));
  return new Map(inspections.map((inspection) => [inspection.id, recordOf(inspection, findings, names)]));
}

function recordOf(inspection: Inspection, findings: Map<string, Finding>, names: Map<number, string>): PublicRecord {
  const enterprise = inspection.enterprise.getEntity();
  const tasks = inspection.tasks
    .getItems()
    .sort((a, b) => a.id - b.id)
    .map((task): PublicTaskRef => {
      const plan = task.plan.getEntity();
      return {
        taskId: task.id,
        planNo: plan.documentNo ?? `${plan.year}${pad(plan.id, 3)}`,
        planName: plan.name,
        taskNo: `${plan.year}${pad(plan.id, 3)}${pad(task.seq, 3)}`,
        taskName: task.name,
        drawType: task.drawType ?? null,
      };
    });
  const items = inspection.items
    .getItems()
    .sort((a, b) => a.department.id - b.department.id || a.id - b.id)
    .map((item: CheckItem): PublicItem => {
      const finding = findings.get(`${inspection.id}:${item.id}`);
      // Finalisation requires a result for every item; a gap here is a broken invariant, not input.
      if (!finding) throw new Error(`检查 ${inspection.id} 的事项 ${item.id} 没有检查结果`);
      return {
        itemId: item.id,
        departmentId: item.department.id,
        department: names.get(item.department.id)!,
        category: item.category,
        item: item.item,
        results: finding.results,
        problemKinds: finding.problemKinds,
      };
    });
  return { tasks, enterpriseName: enterprise.name, uscc: enterprise.uscc, completedOn: inspection.completedOn!, items };
}

/** 抽查机关 of a record: each department with items, in the record's order. */
export function recordDepartments(record: PublicRecord): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const item of record.items) if (!seen.has(item.departmentId)) seen.set(item.departmentId, item.department);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * The next version: the changed items take their new results (and the 更正 mark); the rest stay
 * as they were, marks of earlier corrections cleared so each version says what it changed.
 * Each change must name an item of the record that belongs to `departmentId`.
 */
export function applyChanges(record: PublicRecord, departmentId: number, changes: ResultChange[]): PublicRecord {
  const byItem = new Map<number, ResultChange>();
  changes.forEach((change, i) => {
    const item = record.items.find((it) => it.itemId === change.itemId);
    if (!item) throw new BadInputError(`items[${i}].itemId`, '不是该公示记录中的检查事项');
    if (item.departmentId !== departmentId) throw new ForbiddenError(`只能更正本部门的检查事项（“${item.item}”属于${item.department}）`);
    if (byItem.has(change.itemId)) throw new BadInputError(`items[${i}].itemId`, '同一事项重复出现');
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
    if (same(item.results, change.results) && same(item.problemKinds, change.problemKinds)) {
      throw new BadInputError(`items[${i}].results`, '与当前公示的结果相同，无需更正');
    }
    byItem.set(change.itemId, change);
  });
  return {
    ...record,
    items: record.items.map((item) => {
      const change = byItem.get(item.itemId);
      const { corrected: _previous, ...rest } = item;
      return change ? { ...rest, results: change.results, problemKinds: change.problemKinds, corrected: true } : rest;
    }),
  };
}
