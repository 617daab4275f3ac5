import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ChangeSet } from '../../core/change-set.js';
import { BadInputError, ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { parseId, parseIds } from '../../core/ids.js';
import { hasRole, isStaffOf, type Viewer } from '../../core/viewer.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { Department, Region } from '../departments/department.entity.js';
import { emitEvent } from '../events/event.service.js';
import { EventType } from '../events/event-types.js';
import { Enterprise } from './enterprise.entity.js';
import { Industry } from './industry.entity.js';
import { Officer } from './officer.entity.js';
import { EnterpriseStatus, OfficerStatus, RiskClass } from './registry.enums.js';
import { RiskClassChange, RiskClassChannel } from './risk-class-change.entity.js';
import { checkUscc } from './uscc.js';

/**
 * The registries kept record by record, beside the file imports. Enterprises are one shared list
 * (名录库) any department's staff keep; each change of risk class is a history row naming who,
 * when, why and the source. Officers belong to their department: only its STAFF/HEAD edit them.
 */

export interface EnterpriseFields {
  name?: string | null;
  address?: string | null;
  legalRepresentative?: string | null;
  status?: EnterpriseStatus | null;
  industryIds?: string[] | null;
  regionId?: string | null;
  riskClass?: RiskClass | null;
  /** Why the risk class changes, and where the new class comes from: required with a new class. */
  riskClassReason?: string | null;
  riskClassSource?: string | null;
}

function text(field: string, value: string | null | undefined, max: number, required = false): string | undefined {
  const t = value?.trim() ?? '';
  if (required && !t) throw new BadInputError(field, '不能为空');
  if (t.length > max) throw new BadInputError(field, `不能超过 ${max} 个字`);
  return t || undefined;
}

function assertStaff(viewer: Viewer, what: string): void {
  if (!hasRole(viewer, Role.STAFF, Role.HEAD)) throw new ForbiddenError(`只有业务人员或部门负责人可以维护${what}`);
}

async function industriesOf(tx: EntityManager, ids: string[]): Promise<number[]> {
  const wanted = [...new Set(parseIds('input.industryIds', ids))];
  if (wanted.length === 0) throw new BadInputError('input.industryIds', '请至少选择一个行业');
  const found = await tx.count(Industry, { id: { $in: wanted } });
  if (found !== wanted.length) throw new BadInputError('input.industryIds', '有行业不存在');
  return wanted;
}

async function regionOf(tx: EntityManager, id: string): Promise<Region> {
  const region = await tx.findOne(Region, { id: parseId('input.regionId', id) });
  if (!region) throw new BadInputError('input.regionId', `区域不存在：${id}`);
  return region;
}

function riskChange(
  enterprise: Enterprise,
  from: RiskClass | undefined,
  input: EnterpriseFields,
  viewer: Viewer,
  channel: RiskClassChannel,
) {
  const reason = text('input.riskClassReason', input.riskClassReason, 500, true)!;
  const source = text('input.riskClassSource', input.riskClassSource, 255, true)!;
  const change = new RiskClassChange(ref(enterprise), enterprise.riskClass, channel, source, reason);
  change.fromClass = from;
  change.changedBy = ref(User, viewer.userId);
  return change;
}

export async function createEnterprise(em: EntityManager, viewer: Viewer, input: EnterpriseFields & { uscc: string }): Promise<Enterprise> {
  assertStaff(viewer, '监管对象名录');
  const uscc = checkUscc(input.uscc ?? '');
  if (!uscc.ok) throw new BadInputError('input.uscc', uscc.reason);
  const name = text('input.name', input.name, 255, true)!;
  if (input.riskClass == null) throw new BadInputError('input.riskClass', '请选择信用风险分类');
  if (input.regionId == null) throw new BadInputError('input.regionId', '请选择所属区域');
  return em.transactional(async (tx) => {
    if (await tx.count(Enterprise, { uscc: uscc.value })) {
      throw new ConflictError(`名录库中已有统一社会信用代码为 ${uscc.value} 的监管对象`, { field: 'input.uscc' });
    }
    const region = await regionOf(tx, input.regionId!);
    const enterprise = new Enterprise(uscc.value, name, ref(region), input.riskClass!);
    enterprise.industryIds = await industriesOf(tx, input.industryIds ?? []);
    enterprise.address = text('input.address', input.address, 255);
    enterprise.legalRepresentative = text('input.legalRepresentative', input.legalRepresentative, 64);
    enterprise.status = input.status ?? EnterpriseStatus.OPERATING;
    tx.persist(enterprise);
    tx.persist(riskChange(enterprise, undefined, input, viewer, RiskClassChannel.CREATED));
    await tx.flush();
    await emitEvent(
      tx,
      EventType.RECORD_CHANGED,
      [],
      { kind: 'ENTERPRISE', id: enterprise.id, action: 'CREATED', changes: {} },
      viewer.userId,
    );
    return enterprise;
  });
}

export async function updateEnterprise(em: EntityManager, viewer: Viewer, id: number, input: EnterpriseFields): Promise<Enterprise> {
  assertStaff(viewer, '监管对象名录');
  return em.transactional(async (tx) => {
    const enterprise = await tx.findOne(Enterprise, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!enterprise) throw new NotFoundError('监管对象', id);
    const set = new ChangeSet(enterprise);
    if (input.name != null) set.put('name', text('input.name', input.name, 255, true)!);
    if (input.address != null) set.put('address', text('input.address', input.address, 255));
    if (input.legalRepresentative != null) {
      set.put('legalRepresentative', text('input.legalRepresentative', input.legalRepresentative, 64));
    }
    if (input.status != null) set.put('status', input.status);
    if (input.industryIds != null) set.put('industryIds', await industriesOf(tx, input.industryIds));
    if (input.regionId != null) {
      const region = await regionOf(tx, input.regionId);
      if (region.id !== enterprise.region.id) {
        enterprise.region = ref(region);
        set.changes.regionId = region.id;
      }
    }
    if (input.riskClass != null && input.riskClass !== enterprise.riskClass) {
      const from = enterprise.riskClass;
      set.put('riskClass', input.riskClass);
      tx.persist(riskChange(enterprise, from, input, viewer, RiskClassChannel.MANUAL));
    }
    if (set.empty) return enterprise;
    await tx.flush();
    await emitEvent(tx, EventType.RECORD_CHANGED, [], { kind: 'ENTERPRISE', id, action: 'UPDATED', changes: set.changes }, viewer.userId);
    return enterprise;
  });
}

/** The risk class history of each enterprise, newest first. */
export async function riskHistoryOf(em: EntityManager, enterpriseIds: readonly number[]): Promise<RiskClassChange[]> {
  return em.find(RiskClassChange, { enterprise: { $in: [...enterpriseIds] } }, { orderBy: { changedAt: 'desc', id: 'desc' } });
}

export interface OfficerFields {
  name?: string | null;
  specialties?: string[] | null;
  status?: OfficerStatus | null;
  regionId?: string | null;
  /** YYYY-MM-DD; an empty string clears it (no expiry). */
  certificateValidUntil?: string | null;
}

function specialtiesOf(values: string[]): string[] {
  const out = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  for (const [i, s] of out.entries()) if (s.length > 64) throw new BadInputError(`input.specialties[${i}]`, '不能超过 64 个字');
  if (out.length > 20) throw new BadInputError('input.specialties', '不能超过 20 项');
  return out;
}

function validUntil(value: string): string | undefined {
  if (value === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value || Number(m![1]) < 2000 || Number(m![1]) > 2100) {
    throw new BadInputError('input.certificateValidUntil', '应为 YYYY-MM-DD 格式的日期');
  }
  return value;
}

export function canEditOfficer(viewer: Viewer, officer: Officer): boolean {
  return isStaffOf(viewer, officer.department.id);
}

export async function createOfficer(em: EntityManager, viewer: Viewer, input: OfficerFields & { certificateNo: string }): Promise<Officer> {
  if (!isStaffOf(viewer, viewer.departmentId)) throw new ForbiddenError('只有业务人员或部门负责人可以维护本部门的执法人员');
  const certificateNo = text('input.certificateNo', input.certificateNo, 32, true)!;
  if (!/^[\w-]+$/.test(certificateNo)) throw new BadInputError('input.certificateNo', '只能由字母、数字和“-”组成');
  const name = text('input.name', input.name, 64, true)!;
  return em.transactional(async (tx) => {
    if (await tx.count(Officer, { certificateNo })) {
      throw new ConflictError(`执法人员名录库中已有执法证号 ${certificateNo}`, { field: 'input.certificateNo' });
    }
    const department = await tx.findOneOrFail(Department, viewer.departmentId);
    const region = input.regionId != null ? ref(await regionOf(tx, input.regionId)) : department.region;
    const officer = new Officer(certificateNo, name, ref(department), region);
    officer.specialties = specialtiesOf(input.specialties ?? []);
    officer.status = input.status ?? OfficerStatus.ACTIVE;
    officer.certificateValidUntil = input.certificateValidUntil ? validUntil(input.certificateValidUntil) : undefined;
    tx.persist(officer);
    await tx.flush();
    await emitEvent(
      tx,
      EventType.RECORD_CHANGED,
      [department.id],
      { kind: 'OFFICER', id: officer.id, action: 'CREATED', changes: {} },
      viewer.userId,
    );
    return officer;
  });
}

export async function updateOfficer(em: EntityManager, viewer: Viewer, id: number, input: OfficerFields): Promise<Officer> {
  return em.transactional(async (tx) => {
    const officer = await tx.findOne(Officer, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!officer) throw new NotFoundError('执法人员', id);
    if (!canEditOfficer(viewer, officer)) throw new ForbiddenError('只能由执法人员所属部门的业务人员或负责人修改');
    const set = new ChangeSet(officer);
    if (input.name != null) set.put('name', text('input.name', input.name, 64, true)!);
    if (input.specialties != null) set.put('specialties', specialtiesOf(input.specialties));
    if (input.status != null) set.put('status', input.status);
    if (input.certificateValidUntil != null) set.put('certificateValidUntil', validUntil(input.certificateValidUntil));
    if (input.regionId != null) {
      const region = await regionOf(tx, input.regionId);
      if (region.id !== officer.region.id) {
        officer.region = ref(region);
        set.changes.regionId = region.id;
      }
    }
    if (set.empty) return officer;
    await tx.flush();
    await emitEvent(
      tx,
      EventType.RECORD_CHANGED,
      [officer.department.id],
      { kind: 'OFFICER', id, action: 'UPDATED', changes: set.changes },
      viewer.userId,
    );
    return officer;
  });
}
