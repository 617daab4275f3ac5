import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { pgArray } from '../../core/sql.js';
import { isStaffOf, type Viewer } from '../../core/viewer.js';
import { Department } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { CheckItem, CheckItemKind, InspectionMethod } from './check-item.entity.js';

/**
 * The check-item list (一单) kept record by record. A department edits only its own items. An item
 * a task uses is retired, never deleted: its visits and published results still name it; once an
 * approved plan uses it, its content is fixed (retire it and write a new one).
 */

export interface CheckItemFields {
  code?: string | null;
  category?: string | null;
  item?: string | null;
  target?: string | null;
  kind?: CheckItemKind | null;
  method?: InspectionMethod | null;
  legalBasis?: string | null;
  requiredSpecialty?: string | null;
}

const LIMITS: [keyof CheckItemFields, number][] = [
  ['code', 32],
  ['category', 255],
  ['item', 2000],
  ['target', 255],
  ['legalBasis', 4000],
  ['requiredSpecialty', 64],
];

/** Trimmed text fields within their limits; the required ones not blank. */
function cleaned(input: CheckItemFields, required: (keyof CheckItemFields)[]): CheckItemFields {
  const out: CheckItemFields = { ...input };
  for (const [field, max] of LIMITS) {
    const value = input[field];
    if (value == null) continue;
    const text = String(value).trim();
    if (text.length > max) throw new BadInputError(`input.${field}`, `不能超过 ${max} 个字`);
    (out as Record<string, unknown>)[field] = text;
  }
  for (const field of required) if (!out[field]) throw new BadInputError(`input.${field}`, '不能为空');
  if (out.code && !/^[\w.-]+$/.test(out.code)) throw new BadInputError('input.code', '只能由字母、数字、“-”“.”“_”组成');
  return out;
}

async function emitChange(
  tx: EntityManager,
  viewer: Viewer,
  item: CheckItem,
  action: 'CREATED' | 'UPDATED' | 'RETIRED' | 'DELETED',
  changes: Record<string, unknown> = {},
) {
  await emitEvent(tx, EventType.RECORD_CHANGED, [item.department.id], { kind: 'CHECK_ITEM', id: item.id, action, changes }, viewer.userId);
}

/** How many tasks use each item, and how many of them are in approved plans. */
export async function itemUse(em: EntityManager, ids: readonly number[]): Promise<Map<number, { tasks: number; approved: number }>> {
  const rows = await em.getConnection().execute<{ id: number; tasks: string; approved: string }[]>(
    `select tci.check_item_id as id, count(*) as tasks, count(*) filter (where p.status = 'APPROVED') as approved
       from task_check_item tci join task t on t.id = tci.task_id join plan p on p.id = t.plan_id
      where tci.check_item_id = any(?::int[]) group by tci.check_item_id`,
    [pgArray(ids)],
    'all',
    em.getTransactionContext(),
  );
  return new Map(rows.map((r) => [Number(r.id), { tasks: Number(r.tasks), approved: Number(r.approved) }]));
}

export function canEditItem(viewer: Viewer, item: CheckItem): boolean {
  return isStaffOf(viewer, item.department.id);
}

export async function createCheckItem(em: EntityManager, viewer: Viewer, input: CheckItemFields & { year: number }): Promise<CheckItem> {
  if (!isStaffOf(viewer, viewer.departmentId)) throw new ForbiddenError('只有业务人员或部门负责人可以编写检查事项');
  if (!Number.isInteger(input.year) || input.year < 2020 || input.year > 2100)
    throw new BadInputError('input.year', '应为 2020 到 2100 之间的年度');
  if (input.kind == null) throw new BadInputError('input.kind', '请选择事项类别');
  if (input.method == null) throw new BadInputError('input.method', '请选择检查方式');
  const fields = cleaned(input, ['category', 'item']);
  return em.transactional(async (tx) => {
    let code = fields.code;
    if (!code) {
      // Hand-written items follow the imported ones' numbering: <year>-S-<n>.
      const [{ n }] = await tx
        .getConnection()
        .execute<{ n: number }[]>(
          `select count(*) + 1 as n from check_item where department_id = ? and year = ? and code like ?`,
          [viewer.departmentId, input.year, `${input.year}-S-%`],
          'all',
          tx.getTransactionContext(),
        );
      code = `${input.year}-S-${n}`;
    }
    if (await tx.count(CheckItem, { department: viewer.departmentId, year: input.year, code })) {
      throw new ConflictError(`本部门 ${input.year} 年度已有编码为 ${code} 的检查事项`, { field: 'input.code' });
    }
    const item = new CheckItem(
      ref(tx.getReference(Department, viewer.departmentId)),
      input.year,
      code,
      fields.category!,
      fields.item!,
      input.kind!,
      input.method!,
    );
    item.target = fields.target || undefined;
    item.legalBasis = fields.legalBasis || undefined;
    item.requiredSpecialty = fields.requiredSpecialty || undefined;
    tx.persist(item);
    await tx.flush();
    await emitChange(tx, viewer, item, 'CREATED');
    return item;
  });
}

/** An item of the viewer's own department, locked for the change. */
async function ownItem(tx: EntityManager, viewer: Viewer, id: number, action: string): Promise<CheckItem> {
  const item = await tx.findOne(CheckItem, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!item) throw new NotFoundError('检查事项', id);
  if (!canEditItem(viewer, item)) throw new ForbiddenError(`只能${action}本部门的检查事项`);
  return item;
}

export async function updateCheckItem(
  em: EntityManager,
  viewer: Viewer,
  id: number,
  input: CheckItemFields & { version: number },
): Promise<CheckItem> {
  const fields = cleaned(input, []);
  for (const field of ['category', 'item'] as const) if (fields[field] === '') throw new BadInputError(`input.${field}`, '不能为空');
  return em.transactional(async (tx) => {
    const item = await ownItem(tx, viewer, id, '修改');
    if (item.retiredAt) throw new ForbiddenError('该检查事项已停用，不能修改');
    if (input.version !== item.version) {
      throw new ConflictError(`检查事项已被他人修改（当前版本 ${item.version}），请刷新后重试`, { currentVersion: item.version });
    }
    const changes: Record<string, unknown> = {};
    for (const key of ['code', 'category', 'item', 'target', 'kind', 'method', 'legalBasis', 'requiredSpecialty'] as const) {
      const value = fields[key];
      if (value == null || value === (item[key] ?? '')) continue;
      changes[key] = value;
    }
    if (Object.keys(changes).length === 0) return item;
    const content = Object.keys(changes).filter((k) => k !== 'requiredSpecialty');
    if (content.length && (await itemUse(tx, [item.id])).get(item.id)?.approved) {
      throw new ForbiddenError('该事项已用于已批准计划的任务，内容不能再修改；请停用后新建（执法人员专长要求仍可修改）');
    }
    if (changes.code && (await tx.count(CheckItem, { department: item.department.id, year: item.year, code: changes.code as string }))) {
      throw new ConflictError(`本部门 ${item.year} 年度已有编码为 ${changes.code as string} 的检查事项`, { field: 'input.code' });
    }
    tx.assign(item, Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v === '' ? undefined : v])));
    await tx.flush();
    await emitChange(tx, viewer, item, 'UPDATED', changes);
    return item;
  });
}

/** Retires an item: kept for the tasks and visits that name it, offered to no new task. */
export async function retireCheckItem(em: EntityManager, viewer: Viewer, id: number, reason: string): Promise<CheckItem> {
  const why = reason.trim();
  if (!why || why.length > 500) throw new BadInputError('reason', '请说明停用理由（不超过 500 字）');
  return em.transactional(async (tx) => {
    const item = await ownItem(tx, viewer, id, '停用');
    if (item.retiredAt) throw new ConflictError('该检查事项已停用');
    item.retiredAt = new Date();
    item.retireReason = why;
    await tx.flush();
    await emitChange(tx, viewer, item, 'RETIRED', { reason: why });
    return item;
  });
}

/** Deletes an item no task has used (a mistake); a used one can only be retired. */
export async function deleteCheckItem(em: EntityManager, viewer: Viewer, id: number): Promise<boolean> {
  return em.transactional(async (tx) => {
    const item = await ownItem(tx, viewer, id, '删除');
    const use = (await itemUse(tx, [item.id])).get(item.id);
    if (use?.tasks) throw new ForbiddenError(`该检查事项已被 ${use.tasks} 个任务使用，不能删除，只能停用`);
    await emitChange(tx, viewer, item, 'DELETED', { code: item.code, item: item.item });
    tx.remove(item);
    await tx.flush();
    return true;
  });
}
