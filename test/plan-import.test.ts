import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { openOrm, type Orm } from '../server/src/db/orm.js';
import { parseDepartments, parseItems, parseModes, parseRatio, parseWindow } from '../server/src/modules/plans/import/plan-cells.js';
import { dryRunJson, parsePlanText } from '../server/src/modules/plans/import/plan-document.js';
import { readPlanFile } from '../server/src/modules/plans/import/plan-file.js';
import { importPlanDocument } from '../server/src/modules/plans/import/plan-import.service.js';
import { CheckItemKind } from '../server/src/modules/checklist/check-item.entity.js';
import { DrawType } from '../server/src/modules/plans/plan.enums.js';
import { cloneTemplate, superuser } from './support/hub.js';

const REFERENCE = path.join(projectRoot, '..', 'shared', 'reference');
const read = (name: string) => readPlanFile(path.join(REFERENCE, name));

describe('cells of a published plan', () => {
  it('reads the ratio texts departments write', () => {
    const cases: [string, object, number | null][] = [
      ['不低于5%; 1次/年', { kind: 'PERCENT', percent: 5, atLeast: true, count: null }, 1],
      ['10% 1次/年', { kind: 'PERCENT', percent: 10, atLeast: false }, 1],
      ['20%，1次/年', { kind: 'PERCENT', percent: 20, atLeast: false }, 1],
      ['抽查比例不低于10%；抽查1次', { kind: 'PERCENT', percent: 10, atLeast: true }, 1],
      ['不低于20%1次/年', { kind: 'PERCENT', percent: 20, atLeast: true }, 1],
      ['20户', { kind: 'COUNT', count: 20, percent: null }, null],
      ['100%', { kind: 'PERCENT', percent: 100 }, null],
      ['根据预警设定监测情况比例', { kind: 'UNSPECIFIED', percent: null, count: null, text: '根据预警设定监测情况比例' }, null],
    ];
    for (const [text, ratio, frequency] of cases) {
      const parsed = parseRatio(text);
      expect(parsed.ratio, text).toMatchObject({ text, ...ratio });
      expect(parsed.frequencyPerYear, text).toBe(frequency);
    }
    expect(parseRatio('根据预警设定监测情况比例').warnings).toEqual([
      '抽查比例“根据预警设定监测情况比例”不是可计算的比例或户数，已按原文保留',
    ]);
  });

  it('reads windows, modes, departments and numbered items', () => {
    for (const text of ['3月-12月', '3月—12月', '2024年3月-12月']) expect(parseWindow(text).window).toEqual({ fromMonth: 3, toMonth: 12 });
    expect(parseWindow('全年').warnings[0]).toContain('无法识别');
    expect(parseModes('市抽市查').modes).toEqual(['CITY_DRAWS_CITY_CHECKS']);
    expect(parseModes('市抽查').modes).toEqual(['CITY_DRAWS_CITY_CHECKS']);
    expect(parseModes('【市抽县查】由各县区实施').modes).toEqual(['CITY_DRAWS_COUNTY_CHECKS']);
    expect(parseModes('县抽县查、市抽县查').modes).toEqual(['COUNTY_DRAWS_COUNTY_CHECKS', 'CITY_DRAWS_COUNTY_CHECKS']);
    expect(parseModes('随机').warnings[0]).toContain('无法识别');
    expect(parseDepartments('市市场监管局 市公安局').names).toEqual(['市市场监管局', '市公安局']);
    expect(parseDepartments('市商务局、市税务局，县工信局').names).toEqual(['市商务局', '市税务局', '县工信局']);
    expect(parseItems('1.单用途卡备案情况的检查；2.章程公示的检查 3.实名制执行情况检查4.填报情况的检查')).toEqual([
      '单用途卡备案情况的检查',
      '章程公示的检查',
      '实名制执行情况检查',
      '填报情况的检查',
    ]);
    // Numbers that are not the next marker never split an item.
    expect(parseItems('1、注册资本不低于500万元。2、2017年7月1日起实施的办法')).toEqual([
      '注册资本不低于500万元',
      '2017年7月1日起实施的办法',
    ]);
  });
});

describe('the reference documents', () => {
  it('000 (2026, 市商务局): four joint tasks and the 14-row check-item list', async () => {
    const doc = await read('000_9630a72be95a4748.txt');
    expect(doc.year).toBe(2026);
    expect(doc.title).toBe('晋城市商务局2026年度部门联合双随机抽查工作计划（“一业一查”部门联合双随机抽查工作计划）');
    const { tasks } = dryRunJson(doc);
    expect(tasks.map((t) => t.seq)).toEqual([1, 2, 3, 4]);
    expect(tasks[1]).toEqual({
      seq: 2,
      name: '对报废机动车回收拆解企业的部门联合抽查',
      drawType: null,
      items: ['对报废机动车回收拆解活动监管'],
      scope: '泽州',
      ratio: { kind: 'PERCENT', percent: 50, atLeast: false, count: null, text: '50% 1次/年' },
      frequencyPerYear: 1,
      window: { fromMonth: 3, toMonth: 12 },
      lead: ['市商务局'],
      partners: ['市市场监管局', '市公安局'],
      modes: ['CITY_DRAWS_CITY_CHECKS'],
      warnings: [],
    });
    expect(tasks[2].items).toHaveLength(5);
    // The list's header is repeated on each page and its column order changes in the last table.
    expect(doc.checkItems).toHaveLength(14);
    expect(doc.checkItems.map((i) => i.kind).filter((k) => k === CheckItemKind.KEY)).toHaveLength(4);
    expect(doc.checkItems[13]).toMatchObject({
      seq: 4,
      category: '对从事汽车销售企业的检查',
      item: '是否符合汽车销售行为规范',
      kind: 'KEY',
      target: '全市从事汽车销售及相关活动的企业',
    });
    // Merged cells: rows 2–7 of block 1 continue its category; their empty item text is flagged, not dropped.
    expect(doc.checkItems.slice(0, 7).every((i) => i.category === '对单用途商业预付卡的检查' && i.warnings.length === 1)).toBe(true);
  });

  it('001 (2024, 市商务局): six joint tasks, two internal ones, co-leads and department units', async () => {
    const { tasks } = dryRunJson(await read('001_72e2966f250e107a.txt'));
    expect(tasks).toHaveLength(8);
    expect(tasks.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 1, 2]);
    expect(tasks[0]).toMatchObject({
      name: '对报废机动车回收拆解企业的部门联合抽查',
      items: [
        '对未取得资质认定情况的检查',
        '回收的报废机动车主要部件情况的检查',
        '办理注销登记以及转交注销证明给机动车所有人情况的检查',
        '对违规出售报废机动车“五大总成”、零部件等情况的检查',
      ],
      ratio: { kind: 'PERCENT', percent: 100 },
      lead: ['市商务局', '市公安局'],
      partners: ['市市场监管局', '市公安分局'],
    });
    expect(tasks[2]).toMatchObject({ scope: '晋城开发区', partners: ['市市场监管局', '市税务局'] });
    expect(tasks[6]).toMatchObject({
      name: '对外劳务经营监督检查',
      ratio: { kind: 'PERCENT', percent: 100, atLeast: false },
      frequencyPerYear: null,
      window: { fromMonth: 3, toMonth: 12 },
      lead: ['市商务局'],
      modes: [],
      warnings: ['“市商务局对外经济合作科组织发起”按“市商务局”识别'],
    });
    expect(tasks[6].items).toHaveLength(7);
    expect(tasks[7]).toMatchObject({ name: '对商业特许经营活动检查', ratio: { percent: 40 } });
  });

  it('003 (2024, 沁水县工信局): county tasks, "at least" ratios and the draw type column', async () => {
    const { tasks } = dryRunJson(await read('003_6ed3d9c3560b2f40.txt'));
    expect(tasks).toHaveLength(8);
    expect(tasks[0]).toMatchObject({
      name: '对汽车销售企业的部门联合抽查',
      ratio: { kind: 'PERCENT', percent: 20, atLeast: true, text: '不低于20%1次/年' },
      frequencyPerYear: 1,
      window: { fromMonth: 9, toMonth: 11 },
      lead: ['县工信局'],
      partners: ['县市场监管局'],
      modes: ['COUNTY_DRAWS_COUNTY_CHECKS'],
      drawType: null,
    });
    expect(tasks[3]).toMatchObject({ window: { fromMonth: 10, toMonth: 11 }, ratio: { percent: 60 } });
    expect(tasks.slice(4).every((t) => t.drawType === DrawType.DIRECTED && t.lead.length === 0)).toBe(true);
  });
});

describe('document layouts', () => {
  const HEADER = '序号\t抽查任务名称\t抽查事项\t检查对象范围\t抽查比例/数量\t信用风险管理\t抽查检查时间\t发起主体\t配合部门\t抽查检查模式';

  it('reads header variants, a header repeated on a new page, merged cells and sub-rows', () => {
    const text = [
      '某县2025年度部门联合双随机抽查工作计划',
      HEADER,
      '1\t对拍卖企业的抽查\t1.拍卖资质的检查\t全县\t20户\t按风险递增\t2025年4月-10月\t县工信局\t县市场监管局\t县抽县查',
      '\t\t2.拍卖活动记录的检查\t\t\t\t\t\t县税务局\t',
      '',
      HEADER,
      '2\t对特许经营企业的抽查\t特许经营备案情况的检查\t\t根据预警设定监测情况比例\t\t\t\t\t【市抽县查】',
      '',
      '备注：以上为计划全文。',
    ].join('\n');
    const { tasks } = dryRunJson(parsePlanText(text));
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({
      items: ['拍卖资质的检查', '拍卖活动记录的检查'],
      ratio: { kind: 'COUNT', count: 20 },
      window: { fromMonth: 4, toMonth: 10 },
      partners: ['县市场监管局', '县税务局'],
    });
    // Blank cells continue the row above; an unparseable ratio keeps its text with a warning.
    expect(tasks[1]).toMatchObject({
      scope: '全县',
      window: { fromMonth: 4, toMonth: 10 },
      lead: ['县工信局'],
      modes: ['CITY_DRAWS_COUNTY_CHECKS'],
      ratio: { kind: 'UNSPECIFIED', text: '根据预警设定监测情况比例' },
    });
    expect(tasks[1].warnings).toContain('抽查比例“根据预警设定监测情况比例”不是可计算的比例或户数，已按原文保留');
  });

  it('reads the same table from an XLSX sheet with a title row', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-plan-'));
    const file = path.join(dir, 'plan.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('计划');
    sheet.addRow(['晋城市商务局2027年度部门联合双随机抽查工作计划']);
    sheet.addRow(HEADER.split('\t'));
    sheet.addRow([
      '1',
      '对二手车经营企业的抽查',
      '备案情况的检查',
      '城区',
      '不低于5%; 1次/年',
      '',
      '3月—12月',
      '市商务局',
      '市市场监管局',
      '市抽市查',
    ]);
    await workbook.xlsx.writeFile(file);
    const doc = await readPlanFile(file);
    await fs.rm(dir, { recursive: true, force: true });
    expect(doc.year).toBe(2027);
    expect(dryRunJson(doc).tasks).toEqual([
      expect.objectContaining({
        seq: 1,
        ratio: expect.objectContaining({ percent: 5, atLeast: true }),
        frequencyPerYear: 1,
        window: { fromMonth: 3, toMonth: 12 },
      }),
    ]);
  });
});

describe('import-plan on the command line', () => {
  it('--dry-run --json prints only JSON in the documented shape', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'server/src/cli/hub.ts', 'import-plan', path.join(REFERENCE, '003_6ed3d9c3560b2f40.txt'), '--dry-run', '--json'],
      {
        cwd: projectRoot,
        encoding: 'utf8',
      },
    );
    const parsed = JSON.parse(out);
    expect(Object.keys(parsed)).toEqual(['tasks']);
    expect(parsed.tasks).toHaveLength(8);
    expect(Object.keys(parsed.tasks[0])).toEqual([
      'seq',
      'name',
      'drawType',
      'items',
      'scope',
      'ratio',
      'frequencyPerYear',
      'window',
      'lead',
      'partners',
      'modes',
      'warnings',
    ]);
  });
});

describe('storing an imported plan', () => {
  let orm: Orm;
  let url: string;
  beforeAll(async () => {
    ({ url } = await cloneTemplate());
    orm = await openOrm(url, 4);
  });
  afterAll(async () => orm?.close());

  it('stores 001 as two draft plans, ties departments, regions and industries, and keeps what it cannot tie', async () => {
    const result = await importPlanDocument(orm.em.fork(), await read('001_72e2966f250e107a.txt'));
    expect(result.plans.map((p) => [p.name, p.year, p.status])).toEqual([
      ['晋城市商务局2024年度部门联合双随机抽查工作计划（“一业一查”部门联合双随机抽查工作计划）', 2024, 'DRAFT'],
      ['晋城市商务局2024年度内部双随机抽查工作计划 (“一业一查”内部双随机抽查工作计划)', 2024, 'DRAFT'],
    ]);
    expect(result.warnings).toContain('任务 1“对报废机动车回收拆解企业的部门联合抽查”：未能识别部门“市公安分局”，已保留原文');
    expect(result.warnings).toContain('任务 1“对外劳务经营监督检查”：未能从任务名称和范围识别行业，抽取前请补充抽查对象范围');
    const db = await superuser(url);
    const { rows } = await db.query(
      `select t.seq, t.joint, d.short_name lead, array(select d2.short_name from task_partner_department p join department d2 on d2.id = p.department_id where p.task_id = t.id order by d2.id) partners,
              array(select r.name from task_scope_region sr join region r on r.id = sr.region_id where sr.task_id = t.id) regions,
              array(select i.name from task_scope_industry si join industry i on i.id = si.industry_id where si.task_id = t.id) industries,
              t.source_text->>'配合部门' partner_text
         from task t join plan p on p.id = t.plan_id join department d on d.id = t.lead_department_id
        where p.year = 2024 and p.name like '%部门联合%' order by t.seq`,
    );
    await db.end();
    expect(rows[0]).toEqual({
      seq: 1,
      joint: true,
      lead: '市商务局',
      partners: ['市市场监管局', '市公安局'],
      regions: ['泽州县'],
      industries: ['报废机动车回收拆解'],
      partner_text: '市市场监管局 市公安分局',
    });
    expect(rows[2]).toMatchObject({ regions: ['晋城开发区'], industries: ['外商投资'] });
    expect(rows[5]).toMatchObject({ regions: [], industries: ['拍卖'] });
  });

  it('refuses to import the same plan twice', async () => {
    await expect(importPlanDocument(orm.em.fork(), await read('001_72e2966f250e107a.txt'))).rejects.toMatchObject({ code: 'CONFLICT' });
    // 000 is the seeded 2026 plan: already there.
    await expect(importPlanDocument(orm.em.fork(), await read('000_9630a72be95a4748.txt'))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('resolves a county document’s short names to its own county', async () => {
    const result = await importPlanDocument(orm.em.fork(), await read('003_6ed3d9c3560b2f40.txt'));
    const db = await superuser(url);
    const { rows } = await db.query(
      `select distinct d.name, r.name region from plan p join department d on d.id = p.department_id
         join task t on t.plan_id = p.id join task_scope_region sr on sr.task_id = t.id join region r on r.id = sr.region_id
        where p.id = any($1)`,
      [result.plans.map((p) => p.id)],
    );
    const partners = await db.query(
      `select distinct d.name from task_partner_department tp join department d on d.id = tp.department_id join task t on t.id = tp.task_id where t.plan_id = any($1)`,
      [result.plans.map((p) => p.id)],
    );
    await db.end();
    expect(rows).toEqual([{ name: '沁水县工业和信息化局', region: '沁水县' }]);
    expect(partners.rows).toEqual([{ name: '沁水县市场监督管理局' }]);
  });
});
