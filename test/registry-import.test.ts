import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { officerImport } from '../server/src/modules/registry/import/officer-import.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';
import { cloneTemplate, superuser } from './support/hub.js';

let url: string;
let db: pg.Client;
let dir: string;

beforeAll(async () => {
  ({ url } = await cloneTemplate());
  db = await superuser(url);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-import-'));
});
afterAll(async () => {
  await db?.end();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const INSERT = { mode: ImportMode.INSERT, allowPartial: false };
const HEADER = '统一社会信用代码,企业名称,行业,所属区域,信用风险分类,住所,法定代表人,登记状态';

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query(sql, params)).rows[0].count);
}

async function csv(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function xlsx(name: string, rows: (string | number)[][]): Promise<string> {
  const file = path.join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名录');
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** A valid code for a new firm number, far from the seeded ones. */
function code(n: number): string {
  return syntheticUscc(5_000_000 + n, '140525');
}

describe('enterprise import', () => {
  it('imports a clean CSV in one go and announces it', async () => {
    const file = path.join(dir, 'clean.csv');
    await writeSyntheticEnterprises(500, file, 'clean', 1_000_000);
    const before = await count('select count(*) from enterprise');
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report).toMatchObject({ total: 500, inserted: 500, updated: 0, failed: 0, committed: true, errorCount: 0 });
    expect(await count('select count(*) from enterprise')).toBe(before + 500);
    const { rows } = await db.query("select payload from event where type = 'REGISTRY_IMPORTED' order by id desc limit 1");
    expect(rows[0].payload).toMatchObject({ kind: 'ENTERPRISE', file: 'clean.csv', inserted: 500, updated: 0, failed: 0 });
  });

  it('reads XLSX with title rows, header variants, letter risk classes and several industries per cell', async () => {
    const file = await xlsx('variants.xlsx', [
      ['晋城市2026年度监管对象名录库'],
      [],
      ['序号', '社会信用代码', '市场主体名称', '所属行业', '所属地区', '风险等级', '住所（经营场所）', '法定代表人（负责人）', '经营状态'],
      [1, code(1), '泽州县鑫源汽车销售有限公司', '汽车销售、二手车经营', '泽州', 'C', '泽州县太行路1号', '王伟', '在业'],
      [2, code(2), '泽州县恒通拍卖有限公司', '拍卖', '泽州县', '一般风险', '', '', ''],
    ]);
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report).toMatchObject({ total: 2, inserted: 2, failed: 0, committed: true });
    const { rows } = await db.query(
      `select e.name, e.risk_class, e.status, r.name as region, array_agg(i.name order by i.name) as industries
         from enterprise e join region r on r.id = e.region_id join industry i on i.id = any(e.industry_ids)
        where e.uscc = any($1) group by e.id, r.name order by e.name`,
      [[code(1), code(2)]],
    );
    expect(rows).toEqual([
      { name: '泽州县恒通拍卖有限公司', risk_class: 'B_GENERAL', status: 'OPERATING', region: '泽州县', industries: ['拍卖'] },
      {
        name: '泽州县鑫源汽车销售有限公司',
        risk_class: 'C_ELEVATED',
        status: 'OPERATING',
        region: '泽州县',
        industries: ['二手车经营', '汽车销售'],
      },
    ]);
  });

  it('reads a GBK-encoded CSV as saved by Excel on Chinese Windows', async () => {
    const text = `${HEADER}\n${code(3)},阳城县佳诚商贸有限公司,一般经营主体,阳城县,低风险,阳城县凤台街3号,李娜,存续\n`;
    const file = path.join(dir, 'gbk.csv');
    // Node has no GBK encoder: write the bytes of this fixed text produced by iconv (GB 2312 subset).
    const { default: iconv } = await import('iconv-lite').catch(() => ({ default: null }));
    if (!iconv) throw new Error('iconv-lite (a dependency of exceljs/csv tooling) is needed to write the GBK fixture');
    await fs.writeFile(file, iconv.encode(text, 'gbk'));
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report).toMatchObject({ inserted: 1, committed: true });
    expect((await db.query('select name from enterprise where uscc = $1', [code(3)])).rows[0].name).toBe('阳城县佳诚商贸有限公司');
  });

  it('reports every bad row exactly and writes nothing', async () => {
    const good = code(10);
    const badCheck = code(11).slice(0, 17) + (code(11)[17] === '0' ? '1' : '0');
    const file = await csv('bad.csv', [
      HEADER,
      `${good},好企业,汽车销售,城区,A,,,存续`,
      `${badCheck},校验位错,汽车销售,城区,A,,,存续`,
      `${code(12)},,汽车销售,城区,A,,,存续`,
      `${code(13)},未知行业,造船,城区,A,,,存续`,
      `${code(14)},未知区域,拍卖,火星,A,,,存续`,
      `${code(15)},风险错,拍卖,城区,E,,,存续`,
      `${good},重复,汽车销售,城区,B,,,存续`,
      `9114052,太短,拍卖,城区,A,,,存续`,
    ]);
    const before = await count('select count(*) from enterprise');
    const events = await count('select count(*) from event');
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report.committed).toBe(false);
    expect(report.total).toBe(8);
    expect(report.failed).toBe(7);
    expect(report.errors.map((e) => [e.row, e.column, e.value, e.reason])).toEqual([
      [3, '统一社会信用代码', badCheck, expect.stringContaining('校验位错误')],
      [4, '企业名称', '', '不能为空'],
      [5, '行业', '造船', expect.stringContaining('未知行业“造船”')],
      [6, '所属区域', '火星', expect.stringContaining('未知区域')],
      [7, '信用风险分类', 'E', '应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险'],
      [8, '统一社会信用代码', good, '与第 2 行重复'],
      [9, '统一社会信用代码', '9114052', '长度应为18位，实际为7位'],
    ]);
    expect(await count('select count(*) from enterprise')).toBe(before);
    expect(await count('select count(*) from event')).toBe(events);
  });

  it('catches a duplicate that only PostgreSQL sees (every row valid on its own) and writes nothing', async () => {
    const file = await csv('dupe.csv', [
      HEADER,
      `${code(40)},甲,拍卖,城区,A,,,存续`,
      `${code(41)},乙,拍卖,城区,A,,,存续`,
      `${code(40)},甲again,拍卖,城区,B,,,存续`,
    ]);
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ row: 4, column: '统一社会信用代码', reason: '与第 2 行重复' })]);
    expect(await count('select count(*) from enterprise where uscc = any($1)', [[code(40), code(41)]])).toBe(0);
  });

  it('with allowPartial writes the valid rows and reports the rest', async () => {
    const file = await csv('partial.csv', [
      HEADER,
      `${code(20)},可写入,汽车销售,城区,A,,,存续`,
      `${code(21)},错误行,汽车销售,城区,Z,,,存续`,
    ]);
    const report = await runImport(url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: true });
    expect(report).toMatchObject({ total: 2, inserted: 1, failed: 1, committed: true });
    expect(report.errors.map((e) => e.row)).toEqual([3]);
    expect(await count('select count(*) from enterprise where uscc = any($1)', [[code(20), code(21)]])).toBe(1);
  });

  it('refuses firms already in the registry in insert mode; upsert updates them without duplicating', async () => {
    const file = await csv('first.csv', [HEADER, `${code(30)},升级前,汽车销售,高平,A,,,存续`]);
    await runImport(url, enterpriseImport, file, INSERT);
    const update = await csv('update.csv', [HEADER, `${code(30)},升级后,拍卖、二手车经营,高平,D,,,吊销`]);
    const refused = await runImport(url, enterpriseImport, update, INSERT);
    expect(refused.errors).toEqual([expect.objectContaining({ row: 2, reason: expect.stringContaining('已存在') })]);

    const report = await runImport(url, enterpriseImport, update, { mode: ImportMode.UPSERT, allowPartial: false });
    expect(report).toMatchObject({ inserted: 0, updated: 1, committed: true });
    const { rows } = await db.query(
      `select e.name, e.risk_class, e.status, array_agg(i.name order by i.name) industries from enterprise e
         join industry i on i.id = any(e.industry_ids)
        where e.uscc = $1 group by e.id`,
      [code(30)],
    );
    expect(rows).toEqual([{ name: '升级后', risk_class: 'D_HIGH', status: 'REVOKED', industries: ['二手车经营', '拍卖'] }]);
  });

  it('says when no header row is found', async () => {
    const file = await csv('noheader.csv', ['名称,地址', '某公司,某地']);
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report.committed).toBe(false);
    expect(report.errors[0]).toMatchObject({ row: 0, column: '表头', reason: expect.stringContaining('统一社会信用代码') });
  });

  it('takes 100,000 rows in one import', async () => {
    const file = path.join(dir, 'big.csv');
    await writeSyntheticEnterprises(100_000, file, 'big', 2_000_000);
    const before = await count('select count(*) from enterprise');
    const report = await runImport(url, enterpriseImport, file, INSERT);
    expect(report).toMatchObject({ total: 100_000, inserted: 100_000, failed: 0, committed: true });
    expect(await count('select count(*) from enterprise')).toBe(before + 100_000);
    expect(await count('select count(*) from enterprise where cardinality(industry_ids) = 0')).toBe(0);
  });
});

describe('officer import', () => {
  const OFFICER_HEADER = '执法证号,姓名,部门,业务专长,状态,区域,执法证有效期';

  it('imports officers with specialties, status and validity; names an ambiguous short department name', async () => {
    const file = await csv('officers.csv', [
      OFFICER_HEADER,
      'ZF-0001,张三,市商务局,二手车、汽车销售,在岗,,2028-12-31',
      'ZF-0002,李四,沁水县工业和信息化局,单用途预付卡,调离,沁水,',
      'ZF-0003,王五,县工信局,二手车,在岗,,',
      'ZF-0004,赵六,市商务局,,休假,,2028/13/01',
    ]);
    const failed = await runImport(url, officerImport, file, INSERT);
    expect(failed.committed).toBe(false);
    expect(failed.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [4, '部门', '简称“县工信局”对应多个部门，请填写全称'],
      [5, '状态', expect.stringContaining('在岗')],
      [5, '执法证有效期', '日期格式应为 2028-12-31'],
    ]);
    expect(failed.failed).toBe(2);

    const partial = await runImport(url, officerImport, file, { mode: ImportMode.INSERT, allowPartial: true });
    expect(partial).toMatchObject({ inserted: 2, committed: true });
    const { rows } = await db.query(
      `select o.certificate_no, o.specialties, o.status, r.name region, d.name dept, o.certificate_valid_until::text valid
         from officer o join region r on r.id = o.region_id join department d on d.id = o.department_id
        where certificate_no like 'ZF-%' order by certificate_no`,
    );
    expect(rows).toEqual([
      {
        certificate_no: 'ZF-0001',
        specialties: ['二手车', '汽车销售'],
        status: 'ACTIVE',
        region: '晋城市',
        dept: '晋城市商务局',
        valid: '2028-12-31',
      },
      {
        certificate_no: 'ZF-0002',
        specialties: ['单用途预付卡'],
        status: 'INACTIVE',
        region: '沁水县',
        dept: '沁水县工业和信息化局',
        valid: null,
      },
    ]);
  });
});
