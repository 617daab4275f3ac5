import fs from 'node:fs/promises';
import path from 'node:path';
import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { projectRoot } from '../../config.js';
import type { Orm } from '../../db/orm.js';
import { logger } from '../../logger.js';
import { hashPassword } from '../auth/auth.service.js';
import { Role } from '../../core/roles.js';
import { User } from '../auth/user.entity.js';
import { CheckItem, type CheckItemKind, type InspectionMethod } from '../checklist/check-item.entity.js';
import { Department, DepartmentLevel, Region } from '../departments/department.entity.js';
import { type DrawType, type Mode, PlanStatus, RatioKind } from '../plans/plan.enums.js';
import { Plan } from '../plans/plan.entity.js';
import { Ratio } from '../plans/ratio.embeddable.js';
import { Task } from '../plans/task.entity.js';
import { Enterprise } from '../registry/enterprise.entity.js';
import { Industry } from '../registry/industry.entity.js';
import { Officer } from '../registry/officer.entity.js';
import { OfficerStatus } from '../registry/registry.enums.js';
import { syntheticEnterprises, syntheticOfficers } from '../registry/synthetic.js';

const seedsDir = path.join(projectRoot, 'seeds');

interface OrganisationsFile {
  regions: { code: string; name: string; parent: string | null; usccArea: string }[];
  departments: { code: string; name: string; shortName: string; level: DepartmentLevel; region: string; parent?: string }[];
  industries: { code: string; name: string; department: string; weight: number }[];
  specialties: Record<string, string[]>;
}

interface SeedCheckItem {
  code: string;
  category: string;
  item: string;
  target: string;
  kind: CheckItemKind;
  method: InspectionMethod;
  specialty?: string;
  legalBasis: string;
}

interface PlanFile {
  department: string;
  year: number;
  checkItems: SeedCheckItem[];
  /** Partner departments' own items in the joint tasks, with the task numbers they belong to. */
  partnerItems: (SeedCheckItem & { department: string; tasks: number[] })[];
  plan: {
    name: string;
    documentNo: string;
    status: PlanStatus;
    tasks: {
      seq: number;
      name: string;
      itemsText: string;
      items: string[];
      scopeText: string;
      scopeRegions: string[];
      scopeIndustries: string[];
      ratio: { kind: RatioKind; percent?: number; atLeast?: boolean; count?: number; text: string };
      frequencyPerYear: number | null;
      riskStratified: boolean;
      riskRuleText: string;
      window: [number, number] | null;
      lead: string;
      partners: string[];
      modes: Mode[];
      drawType: DrawType | null;
      source: Record<string, string>;
    }[];
  };
}

export interface SeedOptions {
  enterprises: number;
  /** Password of every demo account. */
  demoPassword?: string;
}

export interface SeedReport {
  regions: number;
  departments: number;
  industries: number;
  checkItems: number;
  tasks: number;
  officers: number;
  enterprises: number;
  users: number;
}

export const DEMO_PASSWORD = 'demo2026';

/** Officers per department code (county bureaus get the `county` figure). */
const OFFICERS_PER_DEPARTMENT: Record<string, number> = { commerce: 24, market: 48, police: 16, tax: 12, county: 9 };

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(path.join(seedsDir, file), 'utf8')) as T;
}

/** Creates what is missing, keyed by natural keys; returns how many it created. */
async function ensureAll<T extends object, K>(
  em: EntityManager,
  existing: T[],
  keyOf: (e: T) => K,
  wanted: { key: K; create: () => T }[],
): Promise<number> {
  const have = new Set(existing.map(keyOf));
  let created = 0;
  for (const w of wanted) {
    if (have.has(w.key)) continue;
    em.persist(w.create());
    created++;
  }
  await em.flush();
  return created;
}

/**
 * Demo data for a first start: Jincheng's regions and departments, the 2026 commerce plan,
 * synthetic officers and registry, and demo accounts. Idempotent: running it again creates
 * only what is missing. One transaction: a failure leaves nothing behind.
 */
export async function seedDemo(orm: Orm, options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const orgs = await readJson<OrganisationsFile>('jincheng-organisations.json');
  const planFile = await readJson<PlanFile>('commerce-2026.json');
  const password = options.demoPassword ?? DEMO_PASSWORD;

  const report = await orm.em.fork().transactional(async (em) => {
    const r: SeedReport = { regions: 0, departments: 0, industries: 0, checkItems: 0, tasks: 0, officers: 0, enterprises: 0, users: 0 };

    r.regions = await ensureAll(
      em,
      await em.findAll(Region),
      (x) => x.code,
      orgs.regions.map((x) => ({ key: x.code, create: () => new Region(x.code, x.name) })),
    );
    const regions = new Map((await em.findAll(Region)).map((x) => [x.code, x]));
    for (const x of orgs.regions) {
      if (x.parent) regions.get(x.code)!.parent = em.getReference(Region, regions.get(x.parent)!.id, { wrapped: true });
    }

    r.departments = await ensureAll(
      em,
      await em.findAll(Department),
      (x) => x.code,
      orgs.departments.map((x) => ({
        key: x.code,
        create: () =>
          new Department(x.code, x.name, x.shortName, x.level, em.getReference(Region, regions.get(x.region)!.id, { wrapped: true })),
      })),
    );
    const departments = new Map((await em.findAll(Department)).map((x) => [x.code, x]));
    for (const x of orgs.departments) {
      if (x.parent) departments.get(x.code)!.parent = em.getReference(Department, departments.get(x.parent)!.id, { wrapped: true });
    }

    r.industries = await ensureAll(
      em,
      await em.findAll(Industry),
      (x) => x.code,
      orgs.industries.map((x) => ({
        key: x.code,
        create: () => {
          const industry = new Industry(x.code, x.name);
          industry.department = em.getReference(Department, departments.get(x.department)!.id, { wrapped: true });
          return industry;
        },
      })),
    );
    const industries = new Map((await em.findAll(Industry)).map((x) => [x.code, x]));

    // The 2026 commerce check-item list and plan.
    const owner = departments.get(planFile.department)!;
    r.checkItems = await ensureAll(
      em,
      await em.find(CheckItem, { department: owner, year: planFile.year }),
      (x) => x.code,
      planFile.checkItems.map((x) => ({
        key: x.code,
        create: () => {
          const item = new CheckItem(
            em.getReference(Department, owner.id, { wrapped: true }),
            planFile.year,
            x.code,
            x.category,
            x.item,
            x.kind,
            x.method,
          );
          item.target = x.target;
          item.legalBasis = x.legalBasis;
          item.requiredSpecialty = x.specialty;
          return item;
        },
      })),
    );
    for (const p of planFile.partnerItems) {
      const dept = departments.get(p.department)!;
      if (await em.count(CheckItem, { department: dept, year: planFile.year, code: p.code })) continue;
      const item = new CheckItem(
        em.getReference(Department, dept.id, { wrapped: true }),
        planFile.year,
        p.code,
        p.category,
        p.item,
        p.kind,
        p.method,
      );
      Object.assign(item, { target: p.target, legalBasis: p.legalBasis, requiredSpecialty: p.specialty });
      em.persist(item);
      r.checkItems++;
    }
    await em.flush();
    const items = new Map((await em.find(CheckItem, { year: planFile.year })).map((x) => [x.code, x]));
    let plan = await em.findOne(Plan, { department: owner, year: planFile.year, name: planFile.plan.name });
    if (!plan) {
      plan = new Plan(em.getReference(Department, owner.id, { wrapped: true }), planFile.year, planFile.plan.name);
      plan.documentNo = planFile.plan.documentNo;
      plan.status = planFile.plan.status;
      if (plan.status === PlanStatus.APPROVED) plan.approvedAt = new Date(`${planFile.year}-02-01T00:00:00Z`);
      em.persist(plan);
      for (const t of planFile.plan.tasks) {
        const ratio = new Ratio(t.ratio.kind, t.ratio.text);
        ratio.percent = t.ratio.kind === RatioKind.PERCENT ? t.ratio.percent : undefined;
        ratio.atLeast = t.ratio.atLeast ?? false;
        ratio.count = t.ratio.count;
        const task = new Task(ref(plan), t.seq, t.name, em.getReference(Department, departments.get(t.lead)!.id, { wrapped: true }), ratio);
        task.itemsText = t.itemsText;
        task.scopeText = t.scopeText;
        task.frequencyPerYear = t.frequencyPerYear ?? undefined;
        task.windowFromMonth = t.window?.[0];
        task.windowToMonth = t.window?.[1];
        task.riskStratified = t.riskStratified;
        task.riskRuleText = t.riskRuleText;
        task.modes = t.modes;
        task.drawType = t.drawType ?? undefined;
        task.joint = t.partners.length > 0;
        task.sourceText = t.source;
        task.items.set(
          [...t.items, ...planFile.partnerItems.filter((p) => p.tasks.includes(t.seq)).map((p) => p.code)].map((code) => items.get(code)!),
        );
        task.scopeRegions.set(t.scopeRegions.map((code) => regions.get(code)!));
        task.scopeIndustries.set(t.scopeIndustries.map((code) => industries.get(code)!));
        task.partnerDepartments.set(t.partners.map((code) => departments.get(code)!));
        em.persist(task);
        r.tasks++;
      }
      await em.flush();
    }

    // Officers: every department gets its own, with specialties of its line of work.
    const officerSets = orgs.departments.flatMap((d, index) => {
      const line = d.level === DepartmentLevel.COUNTY ? (d.code.endsWith('-market') ? 'market' : 'industry') : d.code;
      const count = OFFICERS_PER_DEPARTMENT[d.level === DepartmentLevel.COUNTY ? 'county' : d.code] ?? 8;
      return syntheticOfficers(count, index + 1, orgs.specialties[line] ?? []).map((o) => ({ o, d }));
    });
    r.officers = await ensureAll(
      em,
      await em.find(Officer, { certificateNo: { $in: officerSets.map((x) => x.o.certificateNo) } }),
      (x) => x.certificateNo,
      officerSets.map(({ o, d }) => ({
        key: o.certificateNo,
        create: () => {
          const dept = departments.get(d.code)!;
          const officer = new Officer(
            o.certificateNo,
            o.name,
            em.getReference(Department, dept.id, { wrapped: true }),
            em.getReference(Region, regions.get(d.region)!.id, { wrapped: true }),
          );
          officer.specialties = o.specialties;
          officer.status = o.status;
          officer.certificateValidUntil = o.certificateValidUntil ?? undefined;
          return officer;
        },
      })),
    );

    // The registry, in batches so memory stays flat.
    const regionWeights: Record<string, number> = {
      '140502': 30,
      '140525': 18,
      '140581': 17,
      '140522': 13,
      '140521': 7,
      '140524': 6,
      'JC-KFQ': 9,
      '140500': 0,
    };
    const synthRegions = orgs.regions.map((x) => ({ ...x, weight: regionWeights[x.code] ?? 5 }));
    let batch: ReturnType<typeof syntheticEnterprises> extends Generator<infer T> ? T[] : never = [];
    const flushBatch = async () => {
      const existing = new Set(
        (await em.find(Enterprise, { uscc: { $in: batch.map((e) => e.uscc) } }, { fields: ['uscc'] })).map((e) => e.uscc),
      );
      for (const e of batch) {
        if (existing.has(e.uscc)) continue;
        const enterprise = new Enterprise(
          e.uscc,
          e.name,
          em.getReference(Region, regions.get(e.regionCode)!.id, { wrapped: true }),
          e.riskClass,
        );
        enterprise.address = e.address;
        enterprise.legalRepresentative = e.legalRepresentative;
        enterprise.status = e.status;
        enterprise.industryIds = e.industryCodes.map((code) => industries.get(code)!.id);
        em.persist(enterprise);
        r.enterprises++;
      }
      await em.flush();
      em.clear();
      batch = [];
    };
    for (const e of syntheticEnterprises(options.enterprises, synthRegions, orgs.industries)) {
      batch.push(e);
      if (batch.length === 2000) await flushBatch();
    }
    if (batch.length) await flushBatch();

    // Demo accounts: staff, head, officer and witness per department (a county bureau's draws need its own witness too); admin and auditor.
    const existingUsers = new Set((await em.findAll(User, { fields: ['username'] })).map((u) => u.username));
    const wanted: { username: string; displayName: string; dept: string; roles: Role[]; officerOf?: string }[] = [];
    for (const d of orgs.departments) {
      wanted.push({ username: `${d.code}.staff`, displayName: `${d.shortName}业务人员`, dept: d.code, roles: [Role.STAFF] });
      wanted.push({ username: `${d.code}.head`, displayName: `${d.shortName}负责人`, dept: d.code, roles: [Role.HEAD] });
      wanted.push({
        username: `${d.code}.officer`,
        displayName: `${d.shortName}执法人员`,
        dept: d.code,
        roles: [Role.OFFICER],
        officerOf: d.code,
      });
      wanted.push({ username: `${d.code}.witness`, displayName: `${d.shortName}纪检监察见证人`, dept: d.code, roles: [Role.WITNESS] });
    }
    // 三员分立: three accounts, one administrator role each.
    // The city's 双随机 office (领导小组办公室) sits in the market supervision bureau and reads every department's statistics.
    wanted.push({ username: 'oversight', displayName: '市双随机办', dept: 'market', roles: [Role.OVERSIGHT] });
    wanted.push({ username: 'admin', displayName: '系统管理员', dept: 'market', roles: [Role.ADMIN] });
    wanted.push({ username: 'security', displayName: '安全管理员', dept: 'market', roles: [Role.SECURITY_ADMIN] });
    wanted.push({ username: 'auditor', displayName: '审计管理员', dept: 'market', roles: [Role.AUDITOR] });
    const missing = wanted.filter((w) => !existingUsers.has(w.username));
    // Hashes run on libuv's thread pool: hashing concurrently keeps the first start short.
    const hashes = await Promise.all(missing.map(() => hashPassword(password)));
    for (const [i, w] of missing.entries()) {
      const dept = departments.get(w.dept)!;
      const user = new User(w.username, w.displayName, hashes[i], em.getReference(Department, dept.id, { wrapped: true }), w.roles);
      if (w.officerOf) {
        const officer = await em.findOne(
          Officer,
          {
            department: dept.id,
            status: OfficerStatus.ACTIVE,
            $or: [{ certificateValidUntil: null }, { certificateValidUntil: { $gt: '2026-12-31' } }],
          },
          { orderBy: { certificateNo: 'asc' } },
        );
        if (officer) user.officer = em.getReference(Officer, officer.id, { wrapped: true });
      }
      em.persist(user);
      r.users++;
    }
    await em.flush();

    // Every officer in the registry signs in as themself: user name = 执法证号 (lower case), the same
    // demo password; so every drawn team is made of demo logins (the README tour completes a visit).
    const linked = new Set((await em.find(User, { officer: { $ne: null } }, { fields: ['officer'] })).map((u) => u.officer!.id));
    const officers = (await em.findAll(Officer, { orderBy: { id: 'asc' } })).filter(
      (o) => !linked.has(o.id) && !existingUsers.has(o.certificateNo.toLowerCase()),
    );
    const officerHash = officers.length ? await hashPassword(password) : '';
    for (const o of officers) {
      const user = new User(
        o.certificateNo.toLowerCase(),
        o.name,
        officerHash,
        em.getReference(Department, o.department.id, { wrapped: true }),
        [Role.OFFICER],
      );
      user.officer = em.getReference(Officer, o.id, { wrapped: true });
      em.persist(user);
      r.users++;
    }
    await em.flush();
    return r;
  });
  logger.info({ ...report, ms: Date.now() - started }, 'demo data seeded');
  return report;
}

/** True when the database has no departments yet: the first start. */
export async function isEmpty(orm: Orm): Promise<boolean> {
  return (await orm.em.fork().count(Department, {})) === 0;
}
