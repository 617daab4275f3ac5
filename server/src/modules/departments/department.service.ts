import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseId } from '../../core/ids.js';
import { Role } from '../../core/roles.js';
import { hasRole, type Viewer } from '../../core/viewer.js';
import { Department, DepartmentLevel, Region } from './department.entity.js';

export interface DepartmentInput {
  code?: string;
  name?: string;
  shortName?: string;
  level?: DepartmentLevel;
  regionId?: string;
  /** For a county bureau: the city department it answers to (市抽县查). */
  parentId?: string | null;
}

const CODE = /^[a-z0-9][a-z0-9-]{1,63}$/;

function text(field: string, value: string | undefined, max: number): string {
  const trimmed = value?.trim() ?? '';
  if (!trimmed || trimmed.length > max) throw new BadInputError(field, `不能为空，且不超过 ${max} 个字`);
  return trimmed;
}

/** Creates a department (系统管理员). Code and name are unique; a county bureau may answer to a city department. */
export async function createDepartment(em: EntityManager, viewer: Viewer, input: DepartmentInput): Promise<Department> {
  if (!hasRole(viewer, Role.ADMIN)) throw new ForbiddenError('只有系统管理员可以新建部门');
  const code = input.code?.trim().toLowerCase() ?? '';
  if (!CODE.test(code)) throw new BadInputError('code', '2–64 位，小写字母、数字和 -，以字母或数字开头');
  if (!input.level) throw new BadInputError('level', '请选择层级');
  if (!input.regionId) throw new BadInputError('regionId', '请选择所在区划');
  return em.transactional(async (tx) => {
    const department = new Department(
      code,
      text('name', input.name, 128),
      text('shortName', input.shortName, 64),
      input.level!,
      ref(tx.getReference(Region, 0)),
    );
    await place(tx, department, { ...input, code });
    tx.persist(department);
    await tx.flush();
    return department;
  });
}

export async function updateDepartment(em: EntityManager, viewer: Viewer, id: string, input: DepartmentInput): Promise<Department> {
  if (!hasRole(viewer, Role.ADMIN)) throw new ForbiddenError('只有系统管理员可以修改部门');
  if (input.code !== undefined) throw new BadInputError('code', '部门代码用于导入与账号，不能修改');
  return em.transactional(async (tx) => {
    const department = await tx.findOne(Department, { id: parseId('id', id) });
    if (!department) throw new NotFoundError('部门', id);
    if (input.name !== undefined) department.name = text('name', input.name, 128);
    if (input.shortName !== undefined) department.shortName = text('shortName', input.shortName, 64);
    if (input.level) department.level = input.level;
    await place(tx, department, input);
    await tx.flush();
    return department;
  });
}

/** Uniqueness, the region and the parent rule, checked before anything is written. */
async function place(tx: EntityManager, department: Department, input: DepartmentInput): Promise<void> {
  const others = { id: { $ne: department.id ?? 0 } };
  if (input.code && (await tx.count(Department, { code: input.code, ...others })))
    throw new ConflictError(`部门代码已存在：${input.code}`, { field: 'code' });
  if (await tx.count(Department, { name: department.name, ...others }))
    throw new ConflictError(`部门名称已存在：${department.name}`, { field: 'name' });
  if (input.regionId) {
    const region = await tx.findOne(Region, { id: parseId('regionId', input.regionId) });
    if (!region) throw new BadInputError('regionId', `区划不存在：${input.regionId}`);
    department.region = ref(region);
  }
  if (input.parentId !== undefined) {
    if (input.parentId === null) department.parent = undefined;
    else {
      const parent = await tx.findOne(Department, { id: parseId('parentId', input.parentId) });
      if (!parent) throw new BadInputError('parentId', `部门不存在：${input.parentId}`);
      department.parent = ref(parent);
    }
  }
  const parent = department.parent ? await tx.findOneOrFail(Department, { id: department.parent.id }) : null;
  if (parent && department.level !== DepartmentLevel.COUNTY) throw new BadInputError('parentId', '只有县级部门对应上级市级部门');
  if (parent && parent.level !== DepartmentLevel.CITY) throw new BadInputError('parentId', `${parent.name}不是市级部门`);
}
