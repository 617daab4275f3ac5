import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';
import { codes, superuser, TestHub, type Visit } from './support/hub.js';

let hub: TestHub;
let visit: Visit;
let uscc: string;

const ARCHIVE = `query($uscc: String!) { enterpriseArchive(uscc: $uscc) {
  enterprise { uscc name }
  inspectionsOutOfScope
  inspections { id status completedOn leadDepartment { code } recordSha256
    findings { item { item department { code } } results followUp referrals { status toDepartment { code } } attachments { sha256 } }
    publication { publishedOn } }
  riskClassChanges { id }
  officerConflicts { reason officer { name } } } }`;
const RECORD = `mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id version } }`;

beforeAll(async () => {
  hub = await TestHub.start();
  visit = await hub.visitWithTeam(['commerce.officer', 'market.officer', 'police.officer']);
  const staff = await hub.as('commerce.staff');
  uscc = (await staff.ok('query($id: ID!) { inspection(id: $id) { enterprise { uscc } } }', { id: visit.id })).inspection.enterprise.uscc;
  // One problem, referred to the tax bureau; everything else clean; submitted and finalised.
  for (const [n, item] of visit.items.entries()) {
    const officer = await hub.as(`${item.department.code}.officer`);
    const problem = n === visit.items.findIndex((i) => i.department.code === 'market');
    const { recordFinding } = await officer.ok(RECORD, {
      i: visit.id,
      item: item.id,
      input: problem
        ? { results: ['PROBLEM_PENDING'], problemKinds: ['NOT_DISCLOSED'], followUp: 'NOTIFY_DEPARTMENT', method: 'ON_SITE' }
        : { results: ['NO_PROBLEM'], followUp: 'NONE', method: 'ON_SITE' },
    });
    if (problem) {
      const db = await superuser(hub.databaseUrl);
      const { rows } = await db.query(`select id from department where code = 'tax'`);
      await db.end();
      const due = new Date(Date.now() + 8 * 3600_000 + 20 * 86_400_000).toISOString().slice(0, 10);
      await (
        await hub.as('market.staff')
      ).ok(
        'mutation($f: ID!, $to: ID!, $due: String!) { createReferral(findingId: $f, toDepartmentId: $to, kind: NOTIFY, description: "抄告", dueOn: $due) { id } }',
        { f: recordFinding.id, to: String(rows[0].id), due },
      );
    }
  }
  await hub.finaliseSubmitted(visit.id, await hub.submit(visit.id));
});
afterAll(async () => hub?.close());

describe('企业信用档案 (a firm’s history)', () => {
  it('shows every visit in scope with its results, referral, record hash and departments, in one query', async () => {
    const { enterpriseArchive: archive } = await (await hub.as('market.staff')).ok(ARCHIVE, { uscc: uscc.toLowerCase() });
    expect(archive.enterprise.uscc).toBe(uscc);
    const [shown] = archive.inspections.filter((i: { id: string }) => i.id === visit.id);
    expect(shown).toMatchObject({ status: 'FINALISED', leadDepartment: { code: 'commerce' } });
    expect(shown.recordSha256).toMatch(/^[0-9a-f]{64}$/);
    const problem = shown.findings.find((f: { results: string[] }) => f.results.includes('PROBLEM_PENDING'));
    expect(problem).toMatchObject({
      item: { department: { code: 'market' } },
      referrals: [{ status: 'OPEN', toDepartment: { code: 'tax' } }],
    });
    expect(shown.findings).toHaveLength(visit.items.length);
    expect(archive.inspectionsOutOfScope).toBe(0);
  });

  it('keeps other departments’ visits out of sight (counted only), and officer conflicts to those who manage the officer', async () => {
    const tax = (await (await hub.as('tax.staff')).ok(ARCHIVE, { uscc })).enterpriseArchive;
    expect(tax.inspections).toEqual([]);
    expect(tax.inspectionsOutOfScope).toBeGreaterThanOrEqual(1);

    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(`select officer_id as id from app_user where username = 'market.officer'`);
    await db.end();
    await (
      await hub.as('market.staff')
    ).ok('mutation($o: ID!, $u: String!) { declareOfficerConflict(officerId: $o, uscc: $u, reason: "近亲属在该企业任职") { id } }', {
      o: String(rows[0].id),
      u: uscc,
    });
    const market = (await (await hub.as('market.staff')).ok(ARCHIVE, { uscc })).enterpriseArchive;
    expect(market.officerConflicts.map((c: { reason: string }) => c.reason)).toEqual(['近亲属在该企业任职']);
    const commerce = (await (await hub.as('commerce.staff')).ok(ARCHIVE, { uscc })).enterpriseArchive;
    expect(commerce.officerConflicts).toEqual([]);
    expect(commerce.inspections.map((i: { id: string }) => i.id)).toContain(visit.id);
  });

  it('exports the archive as a workbook with the same rows, read back cell by cell; a refusal is a clean answer', async () => {
    const market = await hub.as('market.staff');
    const res = await fetch(`${hub.url}/api/enterprises/${uscc}/archive.xlsx`, { headers: { authorization: `Bearer ${market.token}` } });
    expect(res.status).toBe(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toMatch(/企业信用档案-.+\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('抽查记录')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '年度',
      '抽查任务',
      '发起部门',
      '检查状态',
      '办结日期',
      '检查部门',
      '检查事项',
      '检查结果',
      '后续处置',
      '整改复查',
      '问题线索移送',
      '公示日期',
    ]);
    expect(sheet.rowCount - 1).toBe(visit.items.length);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, n) => sheet.getRow(n + 2));
    // The year is a number, not text; the problem row carries its result and its referral.
    expect(typeof rows[0].getCell(1).value).toBe('number');
    const problem = rows.find((r) => r.getCell(8).text.startsWith('发现问题待后续处理'))!;
    expect(problem.getCell(6).value).toBe('晋城市市场监督管理局');
    expect(problem.getCell(11).value).toMatch(/^已移送·国家税务总局晋城市税务局/);
    expect(problem.getCell(4).value).toBe('已办结');

    const refused = await fetch(`${hub.url}/api/enterprises/NOTAUSCC/archive.xlsx`, {
      headers: { authorization: `Bearer ${market.token}` },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe('uscc');
    expect((await fetch(`${hub.url}/api/enterprises/${uscc}/archive.xlsx`)).status).toBe(401);
  });

  it('refuses a malformed code by name, an unknown firm as NOT_FOUND, and anyone without a business role', async () => {
    const staff = await hub.as('commerce.staff');
    const bad = await staff.query(ARCHIVE, { uscc: '91140525MA0K1234' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    expect(bad.errors![0].message).toMatch(/长度应为18位/);
    expect(codes(await staff.query(ARCHIVE, { uscc: syntheticUscc(987_654_321, '140500') }))).toEqual(['NOT_FOUND']);
    expect(codes(await (await hub.as('auditor')).query(ARCHIVE, { uscc }))).toEqual(['FORBIDDEN']);
    expect(codes(await hub.anonymous.query(ARCHIVE, { uscc }))).toEqual(['UNAUTHENTICATED']);
  });
});
