import ExcelJS from 'exceljs';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../server/src/config.js';
import { syntheticUscc } from '../server/src/modules/registry/synthetic.js';
import { cameraJpeg } from './support/evidence.js';
import { DEMO_PASSWORD, superuser, TestHub } from './support/hub.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(projectRoot, 'test-results');

let hub: TestHub;
let browser: Browser;
let clientDir: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`浏览器测试需要 Debian 的 chromium：apt-get install -y chromium（未找到 ${CHROMIUM}）`);
  }
  // Build the client as it is now, so the test exercises the current source.
  clientDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-client-'));
  await build({
    configFile: path.join(projectRoot, 'client', 'vite.config.ts'),
    build: { outDir: clientDir, emptyOutDir: true },
    logLevel: 'warn',
  });
  hub = await TestHub.start({ clientDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await fsp.mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  if (clientDir) await fsp.rm(clientDir, { recursive: true, force: true });
});

/**
 * A browser context whose waits hold on a loaded two-core machine: every locator waits for the
 * state it needs for up to 90 s (Playwright's default is 30 s).
 */
async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(90_000);
  return context;
}

async function signIn(username: string, options: { password?: string; landing?: string; width?: number } = {}): Promise<Page> {
  const context = await newContext({ viewport: { width: options.width ?? 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(hub.url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(options.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  // Desk accounts land on the plans, officers on 我的检查.
  await page
    .getByText(options.landing ?? /年度抽查工作计划|我的检查/)
    .first()
    .waitFor();
  return page;
}

describe('staff client in a real browser', { timeout: 300_000 }, () => {
  it('refuses a wrong password with a Chinese message', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${hub.url}/tasks`);
    await page.getByLabel('用户名').fill('commerce.staff');
    await page.getByLabel('密码').fill('wrong');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByText('用户名或密码错误').waitFor()).resolves.toBeUndefined();
    await page.context().close();
  });

  it('lists the 2026 plan; a lead edit appears live in a partner department’s browser', async () => {
    // Tasks change only while their plan is a draft: the seeded plan goes back to 草稿 for these two tests.
    await hub.setPlanStatus(1, 'DRAFT');
    const commerce = await signIn('commerce.staff');
    const market = await signIn('market.staff');
    for (const page of [commerce, market]) {
      await page.getByText('对报废机动车回收拆解企业的部门联合抽查').waitFor();
      expect(await page.getByRole('row').count()).toBe(5); // header + 4 tasks
    }
    // Only the lead department is offered the edit button.
    expect(await commerce.getByRole('button', { name: /修\s*改/ }).count()).toBe(4);
    expect(await market.getByRole('button', { name: /修\s*改/ }).count()).toBe(0);

    const row = commerce.getByRole('row', { name: /对二手车交易市场的部门联合抽查/ });
    await row.getByRole('button', { name: /修\s*改/ }).click();
    const dialog = commerce.getByRole('dialog');
    await dialog.getByLabel('抽查任务名称').fill('对二手车交易市场的部门联合抽查（第二批）');
    await dialog.getByLabel('截止月份').fill('11月');
    await commerce.keyboard.press('Enter');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The partner's page updates without a reload.
    const updated = market.getByRole('row', { name: /对二手车交易市场的部门联合抽查（第二批）/ });
    await updated.waitFor();
    expect(await updated.getByText('3月—11月').count()).toBe(1);
    await commerce.screenshot({ path: path.join(ARTIFACTS, 'tasks-commerce.png'), fullPage: true });
    await market.screenshot({ path: path.join(ARTIFACTS, 'tasks-market-live.png'), fullPage: true });
  });

  it('shows the server’s reason when an edit is refused', async () => {
    const commerce = await signIn('commerce.head');
    const row = commerce.getByRole('row', { name: /对汽车销售企业的部门联合抽查/ });
    await row.getByRole('button', { name: /修\s*改/ }).click();
    const dialog = commerce.getByRole('dialog');
    await dialog.getByLabel('起始月份').fill('12月');
    await commerce.keyboard.press('Enter');
    await dialog.getByLabel('截止月份').fill('4月');
    await commerce.keyboard.press('Enter');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('截止月份：4月早于起始月份（12月）').waitFor();
    await commerce.screenshot({ path: path.join(ARTIFACTS, 'task-edit-refused.png') });
    await commerce.context().close();
    // Approved again, the plan offers no edits.
    await hub.setPlanStatus(1, 'APPROVED');
    const approved = await signIn('commerce.head');
    await approved.getByText('对报废机动车回收拆解企业的部门联合抽查').waitFor();
    expect(await approved.getByRole('button', { name: /修\s*改/ }).count()).toBe(0);
    await approved.context().close();
  });

  it('keeps the lists by record: a check item written and retired, a firm’s risk class changed with its reason and history, an officer’s certificate on a phone', async () => {
    const page = await signIn('commerce.staff');
    await page.getByRole('menuitem', { name: '名录库' }).click();
    await page.getByRole('tab', { name: '抽查事项清单' }).click();
    await page.getByRole('button', { name: /新增检查事项/ }).click();
    const itemForm = page.getByRole('dialog');
    await itemForm.getByLabel('抽查类别').fill('对成品油流通的监督检查');
    await itemForm.getByLabel('抽查事项').fill('检查成品油零售经营批准证书的有效情况');
    await itemForm.getByRole('button', { name: /保\s*存/ }).click();
    await itemForm.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /检查成品油零售经营批准证书的有效情况/ });
    await row.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'check-items.png'), fullPage: true });
    // A used item offers 停用 (never 删除); this new one is unused, so it may still be deleted.
    expect(await page.getByRole('button', { name: /停\s*用/ }).count()).toBeGreaterThan(0);
    await row.getByRole('button', { name: /删\s*除/ }).click();
    await page
      .getByRole('button', { name: /^删\s*除$/ })
      .last()
      .click();
    await row.waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: '监管对象名录库' }).click();
    const uscc = await page
      .getByRole('tabpanel', { name: '监管对象名录库' })
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: /修\s*改/ }) })
      .first()
      .locator('code')
      .innerText();
    const firm = page.getByRole('row', { name: new RegExp(uscc) });
    await firm.getByRole('button', { name: /修\s*改/ }).click();
    const firmForm = page.getByRole('dialog');
    await firmForm.getByLabel('信用风险分类').fill('D 高风险');
    await page.keyboard.press('Enter');
    await firmForm.getByRole('button', { name: /保\s*存/ }).click();
    await firmForm.getByText('请说明理由').waitFor();
    await firmForm.getByLabel('分类理由').fill('被列入严重违法失信名单');
    await firmForm.getByLabel('分类来源').fill('省企业信用风险分类管理系统 2026年第四季度结果');
    await firmForm.getByRole('button', { name: /保\s*存/ }).click();
    await firmForm.waitFor({ state: 'hidden' });
    await firm.getByText('D 高风险').waitFor();
    await firm.getByRole('button', { name: /修\s*改/ }).click();
    await page.getByRole('dialog').getByText('理由：被列入严重违法失信名单').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'enterprise-risk-history.png') });
    // The firm's credit archive opens from its row, with the change just made in its history.
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await firm.getByRole('link').first().click();
    await page.getByRole('heading', { name: /企业信用档案/ }).waitFor();
    await page.getByText(/→ D 高风险：被列入严重违法失信名单/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'enterprise-archive.png'), fullPage: true });
    await page.context().close();

    const phone = await signIn('commerce.head', { width: 390 });
    await phone.goto(`${hub.url}/registry`);
    await phone.getByRole('tab', { name: '执法人员名录库' }).click();
    await phone
      .getByRole('button', { name: /修\s*改/ })
      .first()
      .click();
    const officerForm = phone.getByRole('dialog');
    await officerForm.getByLabel('执法证有效期至').fill('2020-01-31');
    await phone.keyboard.press('Enter');
    await officerForm.getByRole('button', { name: /保\s*存/ }).click();
    await officerForm.waitFor({ state: 'hidden' });
    await phone.getByText('证件过期').first().waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'officers-phone.png'), fullPage: true });
    await phone.context().close();
  });

  it('imports a registry file: a bad one is refused row by row, a good one lands and the counts move', async () => {
    const page = await signIn('market.staff');
    await page.getByRole('menuitem', { name: '名录库' }).click();
    const total = async () => Number((await page.locator('.ant-statistic').first().innerText()).replace(/[^\d]/g, ''));
    await expect.poll(total, { timeout: 60_000 }).toBeGreaterThan(0);
    const before = await total();

    const bad = path.join(clientDir, 'bad.csv');
    await fsp.writeFile(bad, '统一社会信用代码,企业名称,行业,所属区域,信用风险分类\n91140500MA0000000X,坏代码,拍卖,城区,A\n');
    await page.getByRole('button', { name: /导\s*入/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles(bad);
    await dialog.getByRole('button', { name: /开始导入/ }).click();
    await dialog.getByText('错误明细（共 1 处）').waitFor();
    expect(await dialog.getByRole('row', { name: /统一社会信用代码.*校验位错误/ }).count()).toBe(1);

    const good = path.join(clientDir, 'good.csv');
    const rows = [0, 1, 2].map((n) => `${syntheticUscc(9_000_000 + n, '140502')},浏览器导入企业${n},拍卖,城区,高风险`);
    await fsp.writeFile(good, ['统一社会信用代码,企业名称,行业,所属区域,信用风险分类', ...rows].join('\n'));
    await dialog.getByRole('button', { name: /再导入一个文件/ }).click();
    await dialog.locator('input[type=file]').setInputFiles(good);
    await dialog.getByRole('button', { name: /开始导入/ }).click();
    await dialog.getByText('导入完成：共 3 行，新增 3，更新 0').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'registry-import.png') });
    await dialog.getByRole('button', { name: /关闭|Close/ }).click();
    await expect.poll(total, { timeout: 60_000 }).toBe(before + 3);
  });

  it('三员分立: the system administrator creates a clerk, the security administrator grants STAFF, the clerk must change the password first', async () => {
    const admin = await signIn('admin', { landing: '账号管理' });
    await admin.getByRole('button', { name: /新建账号/ }).click();
    const form = admin.getByRole('dialog');
    await form.getByLabel('用户名').fill('zhang.clerk');
    await form.getByLabel('姓名（显示名称）').fill('张文书');
    // Typed into the select's search and chosen with Enter, which also closes its list.
    await form.getByLabel('所属部门').fill('晋城市商务局');
    await admin.keyboard.press('Enter');
    await form.getByRole('button', { name: /创建并签发一次性密码/ }).click();
    const issued = admin.getByRole('dialog');
    await issued.getByText('一次性密码（只显示这一次').waitFor();
    const password = (await issued.locator('h3 code').innerText()).trim();
    expect(password).toHaveLength(14);
    await admin.screenshot({ path: path.join(ARTIFACTS, 'admin-one-time-password.png') });
    await issued.getByRole('button', { name: /已交给本人/ }).click();
    // The system administrator sees no business pages and cannot grant roles.
    expect(await admin.getByRole('menuitem', { name: '抽查计划与任务' }).count()).toBe(0);
    expect(await admin.getByRole('button', { name: '角色' }).count()).toBe(0);

    const security = await signIn('security', { landing: '账号管理' });
    await security.getByPlaceholder('用户名或姓名').fill('zhang.clerk');
    await security.getByPlaceholder('用户名或姓名').press('Enter');
    const row = security.getByRole('row', { name: /zhang\.clerk/ });
    await row.getByText('待改密').waitFor();
    await row.getByRole('button', { name: '角色' }).click();
    const roles = security.getByRole('dialog');
    // On a loaded machine the dialog may still be settling when clicked: click until the box shows checked.
    const staffBox = roles.getByLabel('业务人员');
    await expect
      .poll(async () => {
        if (!(await staffBox.isChecked())) await staffBox.click();
        return staffBox.isChecked();
      })
      .toBe(true);
    await roles.getByRole('button', { name: /保\s*存/ }).click();
    await row.getByText('业务人员').waitFor();
    await security.screenshot({ path: path.join(ARTIFACTS, 'admin-users.png'), fullPage: true });

    // The clerk, on a phone: first the password, then the work.
    const clerk = await signIn('zhang.clerk', { password, landing: '须先设置自己的密码', width: 390 });
    await clerk.getByLabel('一次性密码').fill(password);
    await clerk.getByLabel('新密码', { exact: true }).fill('zhang');
    await clerk.getByLabel('再次输入新密码').fill('zhang');
    await clerk.getByRole('button', { name: /修改密码/ }).click();
    await clerk.getByRole('alert').filter({ hasText: '新密码：至少 8 个字符' }).waitFor();
    await clerk.getByLabel('新密码', { exact: true }).fill('Jincheng#2026');
    await clerk.getByLabel('再次输入新密码').fill('Jincheng#2026');
    await clerk.getByRole('button', { name: /修改密码/ }).click();
    await clerk.getByText('密码已修改').waitFor();
    await clerk.screenshot({ path: path.join(ARTIFACTS, 'account-phone.png'), fullPage: true });
    await clerk.goto(`${hub.url}/tasks`);
    await clerk.getByText('年度抽查工作计划').waitFor();
    // The audit administrator reads both administrators' actions, in Chinese, with their names.
    const auditor = await signIn('auditor', { landing: '校验哈希链' });
    await auditor
      .getByRole('row', { name: /新建账号.*zhang\.clerk|系统管理员（admin）.*新建账号/ })
      .first()
      .waitFor();
    await auditor
      .getByRole('row', { name: /安全管理员（security）.*授予角色/ })
      .first()
      .waitFor();
    // A signed checkpoint of the chain's head, saved as a file the auditor keeps off the database host.
    const checkpoint = auditor.waitForEvent('download');
    await auditor.getByRole('button', { name: /导出校验点/ }).click();
    const saved = JSON.parse(await fsp.readFile(await (await checkpoint).path(), 'utf8')) as Record<string, string>;
    expect(saved).toEqual({
      entryId: expect.stringMatching(/^\d+$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      at: expect.any(String),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await auditor.screenshot({ path: path.join(ARTIFACTS, 'audit-log.png') });
    await auditor.context().close();
    await admin.context().close();
    await security.context().close();
    await clerk.context().close();
  });

  it('the new clerk writes a plan with a joint task in the editor: the partner confirms live, the head approves, a draw opens', async () => {
    // zhang.clerk is the account the 三员分立 test above created, granted STAFF and gave its own password.
    const clerk = await signIn('zhang.clerk', { password: 'Jincheng#2026' });
    const market = await signIn('market.staff');
    const head = await signIn('commerce.head');

    await clerk.getByRole('button', { name: /新建计划/ }).click();
    const planForm = clerk.getByRole('dialog');
    await planForm.getByLabel('计划名称').fill('市商务局2026年度成品油流通专项抽查计划');
    await planForm.getByLabel('发文字号').fill('晋市商函〔2026〕99号');
    await planForm.getByRole('button', { name: /新\s*建/ }).click();
    const plan = clerk.locator('.ant-card').filter({ hasText: '市商务局2026年度成品油流通专项抽查计划' });
    await plan.getByText('还没有任务').waitFor();

    await plan.getByRole('button', { name: /新增任务/ }).click();
    const taskForm = clerk.getByRole('dialog');
    await taskForm.getByLabel('抽查任务名称').fill('对二手车经营企业的部门联合抽查');
    // Pickers: typed into the select's search and chosen with Enter.
    await taskForm.getByLabel('抽查事项').fill('2026');
    await clerk.keyboard.press('Enter');
    await taskForm.getByLabel('行业').fill('二手车经营');
    await clerk.keyboard.press('Enter');
    await taskForm.getByLabel('比例', { exact: true }).fill('5');
    await taskForm.getByLabel('截止月份').fill('12月');
    await clerk.keyboard.press('Enter');
    await taskForm.getByLabel('配合部门').fill('晋城市市场监督管理局');
    await clerk.keyboard.press('Enter');
    await clerk.screenshot({ path: path.join(ARTIFACTS, 'plan-editor-task.png') });
    await taskForm.getByRole('button', { name: /保\s*存/ }).click();
    await taskForm.waitFor({ state: 'hidden' });
    await plan.getByRole('row', { name: /对二手车经营企业的部门联合抽查/ }).waitFor();

    // The partner's 待确认 appears without a reload; it confirms with its own items.
    await market.getByText('待确认的联合任务').waitFor();
    await market.getByRole('button', { name: /确认联合事项/ }).click();
    const confirm = market.getByRole('dialog');
    await confirm.getByRole('checkbox').first().check();
    await confirm.getByRole('button', { name: /确\s*认/ }).click();
    await market.getByText('待确认的联合任务').waitFor({ state: 'detached' });
    await market.screenshot({ path: path.join(ARTIFACTS, 'partner-confirmed.png') });

    // The head approves (the clerk may not), and the plan's export is offered to all.
    const headPlan = head.locator('.ant-card').filter({ hasText: '市商务局2026年度成品油流通专项抽查计划' });
    await headPlan.waitFor();
    expect(await plan.getByRole('button', { name: /批准计划/ }).count()).toBe(0);
    await headPlan.getByRole('button', { name: /批准计划/ }).click();
    await headPlan.getByText('已批准').waitFor();
    await plan.getByText('已批准').waitFor();
    expect(await plan.getByRole('button', { name: /新增任务/ }).count()).toBe(0);
    const download = clerk.waitForEvent('download');
    await plan.getByRole('button', { name: /导出 XLSX/ }).click();
    expect((await download).suggestedFilename()).toBe('市商务局2026年度成品油流通专项抽查计划.xlsx');
    await clerk.screenshot({ path: path.join(ARTIFACTS, 'plan-written-by-hand.png'), fullPage: true });

    // The clerk opens the draw of the new task.
    await clerk.getByRole('menuitem', { name: '随机抽取' }).click();
    await clerk.getByRole('button', { name: /开启抽取/ }).click();
    const open = clerk.getByRole('dialog');
    await open.getByLabel('1. 对二手车经营企业的部门联合抽查').check();
    await open.getByRole('button', { name: /开启/ }).click();
    await clerk.getByText('承诺值（抽取前公布）').waitFor();
    for (const page of [clerk, market, head]) await page.context().close();
  });

  it('runs a draw ceremony: the lead opens, a witness adds entropy, both see the reveal live', async () => {
    const lead = await signIn('commerce.staff');
    const witness = await signIn('commerce.witness');
    await lead.getByRole('menuitem', { name: '随机抽取' }).click();
    await lead.getByRole('button', { name: /开启抽取/ }).click();
    const dialog = lead.getByRole('dialog');
    await dialog.getByLabel('3. 对单用途商业预付卡的部门联合抽查').check();
    await dialog.getByRole('button', { name: /开启/ }).click();
    await lead.getByText('承诺值（抽取前公布）').waitFor();
    const drawUrl = lead.url();

    await witness.goto(drawUrl);
    await witness.getByLabel('随机串').fill('骰子 3-5-6');
    await witness.getByRole('button', { name: /加入随机串/ }).click();
    // The lead's page shows the witness's string without a reload.
    await lead.getByText('骰子 3-5-6').waitFor();

    await lead.getByRole('button', { name: /揭示并完成抽取/ }).click();
    await lead.getByText('检查户次（联合）').waitFor();
    // The witness's page fills in live: the seed, the secret and the teams.
    await witness.getByText('服务器密钥（揭示后公布）').waitFor();
    const rows = await witness.locator('.ant-table-tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await witness.getByText(/（市商务局）/).count()).toBeGreaterThan(0);
    await witness.screenshot({ path: path.join(ARTIFACTS, 'draw-witness.png'), fullPage: true });

    // An officer falls ill: the lead replaces them; the system picks the replacement, both pages show the amendment.
    await lead.getByRole('button', { name: /^更换/ }).first().click();
    const amend = lead.getByRole('dialog');
    await amend.getByLabel('更换理由').fill('因病住院');
    await amend.getByRole('button', { name: /按抽取规则更换/ }).click();
    await witness.getByText('检查组人员调整（1）').waitFor();
    await witness.getByText('理由：因病住院').waitFor();
    expect(await witness.getByRole('button', { name: /^更换/ }).count()).toBe(0);

    // Anyone, without logging in, finds the draw's public record, with the witness's string and the seed.
    const drawId = drawUrl.split('/').pop()!;
    for (const width of [1280, 390]) {
      const context = await newContext({ viewport: { width, height: 800 }, locale: 'zh-CN' });
      const visitor = await context.newPage();
      await visitor.goto(`${hub.url}/public/draws`);
      await visitor.locator(`a[href="/public/draws/${drawId}"]`).click();
      await visitor.getByText('骰子 3-5-6').waitFor();
      await visitor.getByText('检查组规则承诺值').waitFor();
      expect(await visitor.getByText(/^[0-9a-f]{64}$/).count()).toBeGreaterThanOrEqual(7);
      await visitor.getByText(/^检查组（\d+ 户次）$/).waitFor();
      await visitor.screenshot({ path: path.join(ARTIFACTS, `public-draw-${width}.png`), fullPage: true });
      await context.close();
    }
  });

  it('two departments’ officers record findings on one visit and see each other’s appear live (one on a phone)', async () => {
    // A revealed draw of task 2 with the two demo officers on the first visit's team.
    const { id: inspectionId } = await hub.visitWithTeam(['commerce.officer', 'market.officer']);

    const commerce = await signIn('commerce.officer');
    const marketContext = await newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true });
    const market = await marketContext.newPage();
    await market.goto(hub.url);
    await market.getByLabel('用户名').fill('market.officer');
    await market.getByLabel('密码').fill(DEMO_PASSWORD);
    await market.getByRole('button', { name: /登\s*录/ }).click();
    // An officer lands on their visits.
    await market.getByRole('heading', { name: '我的检查' }).waitFor();
    for (const page of [commerce, market]) {
      await page.goto(`${hub.url}/inspections/${inspectionId}`);
      await page.getByText('检查组').first().waitFor();
    }

    // The market officer fills in one of the market items on the phone.
    const marketItem = market.getByTestId('item-SJ2026-01-1');
    await marketItem.getByLabel('未发现问题').check();
    await marketItem.getByRole('button', { name: /保存结果/ }).click();
    await marketItem.getByText('已录入').waitFor();
    // It appears on the commerce officer's page without a reload.
    const seenByCommerce = commerce.getByTestId('item-SJ2026-01-1');
    await seenByCommerce.getByText('已录入').waitFor();
    expect(await seenByCommerce.getByText('未发现问题').count()).toBe(1);
    // The commerce officer has no form for the market item, but has one for its own.
    expect(await seenByCommerce.getByRole('button', { name: /保存/ }).count()).toBe(0);
    const commerceItem = commerce.getByTestId('item-SW2026-03-1');
    await commerceItem.getByLabel('发现问题待后续处理').check();
    await commerceItem.getByLabel('未按规定公示应当公示的信息').check();
    await commerceItem.getByRole('button', { name: /保存结果/ }).click();
    await market.getByTestId('item-SW2026-03-1').getByText('发现问题待后续处理').waitFor();
    await market.screenshot({ path: path.join(ARTIFACTS, 'inspection-phone.png'), fullPage: true });
    await commerce.screenshot({ path: path.join(ARTIFACTS, 'inspection-desktop.png'), fullPage: true });

    // The problem goes to the tax bureau, which receives it, handles it and closes the loop.
    await commerceItem.getByRole('button', { name: /移送问题线索/ }).click();
    const refer = commerce.getByRole('dialog');
    await refer.getByLabel('接收部门').click();
    await commerce.getByTitle('国家税务总局晋城市税务局').click();
    await refer.getByLabel('问题线索说明').fill('未公示年度报告，涉嫌未按规定开具发票');
    const due = new Date(Date.now() + 8 * 3600_000 + 60 * 86_400_000).toISOString().slice(0, 10);
    await refer.getByLabel('办理期限').fill(due);
    await refer.getByLabel('办理期限').press('Enter');
    // The picker takes the date on Enter and closes; only then is the form complete.
    await commerce.locator('.ant-picker-dropdown').last().waitFor({ state: 'hidden' });
    await refer.getByRole('button', { name: /移\s*送/ }).click();
    // Closed means sent; a refusal (form check or server) stays open with its reason, which the failure then shows.
    const refused = refer.locator('.ant-alert, .ant-form-item-explain-error');
    const dialogState = async () =>
      (await refer.isVisible()) ? ((await refused.count()) ? `未成功：${await refer.innerText()}` : 'open') : 'closed';
    await expect.poll(dialogState, { timeout: 30_000 }).toBe('closed');
    // The finding carries its mark on every department's page, and follows the loop live.
    await commerceItem.getByTestId('referral-mark').getByText('已移送·市税务局').waitFor();
    await market.getByTestId('item-SW2026-03-1').getByText('已移送·市税务局').waitFor();

    const tax = await signIn('tax.staff');
    await tax.getByRole('menuitem', { name: '问题移送' }).click();
    const row = tax.getByRole('row', { name: /未公示年度报告/ });
    await row.getByRole('button', { name: /接\s*收/ }).click();
    await commerceItem.getByTestId('referral-mark').getByText('已接收·市税务局').waitFor();
    await row.getByRole('button', { name: /办\s*结/ }).click();
    await tax.getByRole('dialog').getByRole('textbox', { name: '办理结果' }).fill('已责令补开发票');
    await tax
      .getByRole('dialog')
      .getByRole('button', { name: /办\s*结/ })
      .click();
    await tax
      .getByRole('row', { name: /已责令补开发票/ })
      .getByText('已办结')
      .waitFor();
    await commerceItem.getByTestId('referral-mark').getByText('已办结·市税务局').waitFor();
    await commerceItem.screenshot({ path: path.join(ARTIFACTS, 'finding-referral-marks.png') });
    await tax.screenshot({ path: path.join(ARTIFACTS, 'referral-closed.png') });
    // The receiving department opens the visit the finding came from (read only).
    await tax
      .getByRole('row', { name: /已责令补开发票/ })
      .getByRole('link')
      .first()
      .click();
    await tax.getByText('已办结·市税务局').first().waitFor();
    await tax.getByText('本部门收到该检查的问题线索移送，可查看检查与结果（只读）').waitFor();
    expect(await tax.getByRole('button', { name: /保存结果|提交检查结果/ }).count()).toBe(0);
    await tax.screenshot({ path: path.join(ARTIFACTS, 'referred-visit-read-only.png'), fullPage: true });
  });
  it('works offline on a phone: two findings and a photo survive a reload, are sent once when back, the partner sees them live; a conflict shows both versions', async () => {
    const visit = await hub.visitWithTeam(['commerce.officer', 'market.officer']);
    const [first, second] = visit.items.filter((i) => i.department.code === 'market');
    const commerce = await signIn('commerce.officer');
    await commerce.goto(`${hub.url}/inspections/${visit.id}`);
    await commerce.getByText('检查组').first().waitFor();

    const context = await newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const phone = await context.newPage();
    await phone.goto(hub.url);
    await phone.getByLabel('用户名').fill('market.officer');
    await phone.getByLabel('密码').fill(DEMO_PASSWORD);
    await phone.getByRole('button', { name: /登\s*录/ }).click();
    await phone.getByRole('heading', { name: '我的检查' }).waitFor();
    await phone.goto(`${hub.url}/inspections/${visit.id}`);
    await phone.getByText('检查组').first().waitFor();
    // The visit page fits the phone: no horizontal scrolling.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The app's files are on the device once the service worker controls the page.
    await phone.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 90_000 });

    await context.setOffline(true);
    await phone.getByTestId('offline').waitFor();
    const firstCard = phone.getByTestId(`item-${first.code}`);
    await firstCard.getByLabel('未发现问题').check();
    await firstCard.getByRole('button', { name: /保存结果/ }).click();
    await firstCard.getByTestId('queued-finding').waitFor();
    const secondCard = phone.getByTestId(`item-${second.code}`);
    await secondCard.getByLabel('发现问题待后续处理').check();
    await secondCard.getByLabel('未按规定公示应当公示的信息').check();
    await secondCard.getByRole('button', { name: /保存结果/ }).click();
    await secondCard.getByTestId('queued-finding').waitFor();
    await firstCard
      .getByLabel('为该结果添加证据')
      .setInputFiles({ name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg('#5a6b7c') });
    await firstCard.getByTestId('queued-file').waitFor();
    await phone.getByTestId('queued').getByText('待同步 3').waitFor();

    // Reloaded without a connection: the page, the visit and the three changes are all still there.
    await phone.reload();
    await phone.getByTestId('offline').waitFor();
    await phone.getByTestId('queued').getByText('待同步 3').waitFor();
    await firstCard.getByTestId('queued-finding').waitFor();
    await secondCard.getByTestId('queued-finding').waitFor();
    await firstCard.getByTestId('queued-file').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'offline-phone.png'), fullPage: true });
    // 我的检查 offline lists the visits kept on the phone, and they open from there.
    const firm = await phone.getByRole('heading', { level: 4 }).first().innerText();
    await phone.goto(`${hub.url}/inspections`);
    const keptOnPhone = phone.getByTestId('kept-visits');
    await keptOnPhone.getByRole('link', { name: firm.replace(/\s*(已派员|检查中)$/, '') }).click();
    await firstCard.getByTestId('queued-finding').waitFor();

    // Back online: the queue drains once and the partner's page shows the results live.
    await context.setOffline(false);
    await expect.poll(() => phone.getByTestId('queued').count(), { timeout: 90_000 }).toBe(0);
    await commerce.getByTestId(`item-${first.code}`).getByText('已录入').waitFor();
    await commerce.getByTestId(`item-${second.code}`).getByText('发现问题待后续处理').waitFor();
    await commerce.getByTestId(`item-${first.code}`).getByText('现场照片.jpg').waitFor();
    const db = await superuser(hub.databaseUrl);
    const counts = await db.query(
      `select (select count(*)::int from finding where inspection_id = $1 and item_id = any($2::int[])) as findings,
              (select count(*)::int from event where type = 'FINDING_RECORDED' and (payload->>'inspectionId')::int = $1
                 and (payload->>'itemId')::int = any($2::int[])) as events,
              (select count(*)::int from attachment where inspection_id = $1) as files`,
      [visit.id, [first.id, second.id]],
    );
    expect(counts.rows[0]).toEqual({ findings: 2, events: 2, files: 1 });

    // A conflict: offline, the officer changes the first result; meanwhile it is changed elsewhere.
    await context.setOffline(true);
    await phone.getByTestId('offline').waitFor();
    await firstCard.getByRole('button', { name: /修\s*改/ }).click();
    await firstCard.getByLabel('发现问题已责令改正').check();
    await firstCard.getByRole('button', { name: /保存修改/ }).click();
    await firstCard.getByTestId('queued-finding').waitFor();
    const elsewhere = await hub.as('market.officer');
    const { rows } = await db.query(`select id, version from finding where inspection_id = $1 and item_id = $2`, [visit.id, first.id]);
    await elsewhere.ok(
      'mutation($i: ID!, $item: ID!, $input: FindingInput!) { recordFinding(inspectionId: $i, itemId: $item, input: $input) { id } }',
      {
        i: visit.id,
        item: first.id,
        input: { version: rows[0].version, results: ['NO_PROBLEM'], followUp: 'NONE', method: 'DOCUMENTARY', notes: '另一台设备上的修改' },
      },
    );
    await context.setOffline(false);
    const conflict = firstCard.getByTestId('conflict');
    await conflict.waitFor({ timeout: 90_000 });
    await conflict.getByText('另一台设备上的修改').waitFor();
    await conflict.getByText('发现问题已责令改正').waitFor();
    await phone.getByTestId('conflicts').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'offline-conflict-phone.png'), fullPage: true });
    await conflict.getByRole('button', { name: '以我的为准' }).click();
    await expect.poll(() => phone.getByTestId('conflicts').count(), { timeout: 90_000 }).toBe(0);
    await commerce.getByTestId(`item-${first.code}`).getByText('发现问题已责令改正').waitFor();
    const kept = await db.query(`select results, version from finding where inspection_id = $1 and item_id = $2`, [visit.id, first.id]);
    await db.end();
    expect(kept.rows[0].results).toEqual(['PROBLEM_CORRECTED']);
    expect(kept.rows[0].version).toBe(rows[0].version + 2);

    // The record is signed on the phone: the officer, then the firm's representative on the officer's phone.
    const sign = async (button: string, name?: string) => {
      await phone.getByRole('button', { name: button }).click();
      const dialog = phone.getByRole('dialog');
      if (name) await dialog.getByLabel('企业签名人姓名').fill(name);
      // hover waits for the dialog to stop moving, so each point lands on the pad.
      const pad = dialog.getByLabel('签名板');
      await pad.hover({ position: { x: 20, y: 40 } });
      await phone.mouse.down();
      for (let x = 40; x <= 300; x += 20) await pad.hover({ position: { x, y: 40 + (x % 40) } });
      await phone.mouse.up();
      await dialog.getByRole('button', { name: /确认签名/ }).click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await sign('本人签名');
    await phone.getByText(/检查人员已签名：/).waitFor();
    await sign('企业负责人签名', '王建国');
    await phone.getByText('企业已签名：王建国').waitFor();
    await phone
      .getByText('现场检查记录')
      .first()
      .screenshot({ path: path.join(ARTIFACTS, 'record-signed-phone.png') });
  });

  it('README tour: a drawn team signs in as themselves (执法证号), records every item, and the visit is submitted, finalised and published', async () => {
    const [visit] = await hub.visitsWithTeam(null, 1);
    const clerk = await signIn('commerce.staff');
    await clerk.goto(`${hub.url}/inspections/${visit.id}`);
    await clerk
      .getByText(/执法证 \S+）/)
      .first()
      .waitFor();
    const team = await clerk.getByText(/执法证 \S+）/).allInnerTexts();
    const certificates = [...new Set(team.flatMap((t) => [...t.matchAll(/执法证 (\S+?)）/g)].map((m) => m[1])))];
    // Each officer's own login: the 执法证号, or <department>.officer for the one officer behind that demo account.
    const { users } = await (await hub.as('admin')).ok('{ users(first: 500) { nodes { username officer { certificateNo } } } }');
    const logins = certificates.map(
      (c) =>
        (users.nodes as { username: string; officer: { certificateNo: string } | null }[]).find((u) => u.officer?.certificateNo === c)!
          .username,
    );
    expect(logins.length).toBeGreaterThanOrEqual(2);
    for (const [n, login] of logins.entries()) {
      const officer = await signIn(login, { width: 390 });
      await officer.goto(`${hub.url}/inspections/${visit.id}`);
      await officer.getByText('检查组').first().waitFor();
      if (n === 0) {
        // The first officer takes 全部未发现问题 for all their items at once, after the confirmation.
        await officer.getByRole('button', { name: /项均未发现问题/ }).click();
        await officer.getByRole('button', { name: /全部录入/ }).click();
        await officer.getByRole('button', { name: /项均未发现问题/ }).waitFor({ state: 'detached' });
      }
      const items = officer.locator('[data-testid^="item-"]');
      for (let k = 0; k < (await items.count()); k++) {
        const item = items.nth(k);
        if ((await item.getByRole('button', { name: /保存结果/ }).count()) === 0 || (await item.getByText('已录入').count()) > 0) continue;
        await item.getByLabel('未发现问题').check();
        await item.getByRole('button', { name: /保存结果/ }).click();
        await item.getByText('已录入').waitFor();
      }
      await officer.context().close();
    }
    await clerk.reload();
    await clerk.getByRole('button', { name: /提交检查结果/ }).click();
    const head = await signIn('commerce.head');
    await head.goto(`${hub.url}/inspections/${visit.id}`);
    await head.getByRole('button', { name: /办\s*结/ }).click();
    await head.getByText(/办结，应于 .* 前公示/).waitFor();
    const firm = (await head.getByRole('heading', { level: 4 }).innerText()).split(/\s/)[0];
    await clerk.getByRole('menuitem', { name: '结果公示' }).click();
    const dueRow = clerk.getByRole('row', { name: new RegExp(firm) });
    await dueRow.getByRole('checkbox').check();
    await clerk.getByRole('button', { name: /公示所选（1）/ }).click();
    await dueRow.waitFor({ state: 'detached' });
    await head.context().close();
    await clerk.context().close();
  });

  it('publishes a result to the public page, where an approved correction shows as 已更正', async () => {
    const [visit] = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 1);
    await hub.finalise([visit]);
    const { inspection } = await (
      await hub.as('commerce.staff')
    ).ok('query($id: ID!) { inspection(id: $id) { enterprise { name } } }', { id: visit.id });
    const firm: string = inspection.enterprise.name;

    // The lead department's clerk finds it on the due list and publishes it.
    const clerk = await signIn('commerce.staff');
    await clerk.getByRole('menuitem', { name: '结果公示' }).click();
    const dueRow = clerk.getByRole('row', { name: new RegExp(firm) });
    await dueRow.getByText(/剩 \d+ 个工作日/).waitFor();
    await dueRow.getByRole('checkbox').check();
    await clerk.getByRole('button', { name: /公示所选（1）/ }).click();
    await dueRow.waitFor({ state: 'detached' });
    await clerk.getByRole('tab', { name: '公示率' }).click();
    await clerk.getByRole('cell', { name: '晋城市商务局' }).waitFor();
    await clerk.screenshot({ path: path.join(ARTIFACTS, 'publication-rate.png'), fullPage: true });

    // Anyone, without logging in, finds it on the public page; no officer's name is there.
    const publicContext = await newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const visitor = await publicContext.newPage();
    await visitor.goto(`${hub.url}/public`);
    await visitor.getByPlaceholder('企业名称或统一社会信用代码').fill(firm);
    await visitor.getByRole('button', { name: /查\s*询/ }).click();
    const publicRow = visitor.getByRole('row', { name: new RegExp(firm) });
    await publicRow.waitFor();
    expect(await publicRow.getByText('已更正').count()).toBe(0);
    await publicRow.getByRole('button', { name: /展开行|Expand row/ }).click();
    await visitor.getByRole('cell', { name: '晋城市市场监督管理局' }).first().waitFor();

    // The market bureau asks to correct one of its items; its head approves.
    const market = await signIn('market.staff');
    await market.getByRole('menuitem', { name: '结果公示' }).click();
    await market.getByRole('tab', { name: '已公示' }).click();
    await market
      .getByRole('row', { name: new RegExp(firm) })
      .getByRole('button', { name: /申请更正/ })
      .click();
    const dialog = market.getByRole('dialog');
    await dialog.getByRole('combobox').first().click();
    await market.getByTitle('发现问题已责令改正').click();
    await dialog.getByRole('textbox', { name: '更正理由' }).fill('复核发现已当场责令改正，原录入有误');
    await dialog.getByRole('button', { name: /提交负责人审核/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    const head = await signIn('market.head');
    await head.getByRole('menuitem', { name: '结果公示' }).click();
    await head.getByRole('tab', { name: '更正审核' }).click();
    const request = head.getByRole('row', { name: /复核发现已当场责令改正/ });
    await request.getByRole('button', { name: /批\s*准/ }).click();
    await head.getByRole('tab', { name: '更正审核' }).waitFor();
    await request.waitFor({ state: 'detached' });

    // The public page now shows the current result marked 已更正, with date, reason and both versions.
    await visitor.reload();
    await visitor.getByPlaceholder('企业名称或统一社会信用代码').fill(firm);
    await visitor.getByRole('button', { name: /查\s*询/ }).click();
    await publicRow.getByText('已更正').waitFor();
    await publicRow.getByRole('button', { name: /展开行|Expand row/ }).click();
    await visitor.getByText(/已更正（\d{4}-\d{2}-\d{2}）：复核发现已当场责令改正，原录入有误/).waitFor();
    await visitor.getByRole('cell', { name: '发现问题已责令改正 已更正', exact: true }).waitFor();
    await visitor.screenshot({ path: path.join(ARTIFACTS, 'public-corrected.png'), fullPage: true });
    await visitor.getByRole('button', { name: /历次版本/ }).click();
    const versions = visitor.getByRole('dialog');
    await versions.getByText(/第 1 版（.*）首次公示/).waitFor();
    await versions.getByText(/第 2 版（.*）更正理由：复核发现已当场责令改正/).waitFor();
    // Each record has its own address, to cite and share, with every version on it.
    await versions.getByRole('button', { name: /关闭|Close/ }).click();
    await publicRow.getByRole('link', { name: firm }).click();
    await visitor.getByRole('heading', { name: new RegExp(firm) }).waitFor();
    await visitor.getByText(/第 2 版（.*）更正理由：复核发现已当场责令改正/).waitFor();
    expect(visitor.url()).toMatch(/\/public\/\d+$/);
    await publicContext.close();
  });

  it('统计分析: the 双随机办 sees every department’s figures as charts and tables, and the year-end 汇总表 downloads and opens', async () => {
    // A finalised visit of the joint task to count: the ones earlier tests finalised, or one finalised here when run alone.
    const { statistics } = await (
      await hub.as('oversight')
    ).ok('query($f: StatisticsFilter!) { statistics(filter: $f) { total { visitsFinalised } } }', {
      f: { year: new Date().getFullYear() },
    });
    if (statistics.total.visitsFinalised === 0)
      await hub.finalise(await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 1));
    const page = await signIn('oversight', { landing: '各任务完成情况' });
    // The charts are drawn (a canvas each) with the year's data; the same figures as a table.
    const tasks = page.locator('.ant-card', { hasText: '各任务完成情况' });
    await tasks.locator('canvas').first().waitFor();
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(7);
    await tasks.getByText('表格').click();
    const row = tasks.getByRole('row', { name: /对报废机动车回收拆解企业的部门联合抽查/ });
    await row.waitFor();
    expect(Number((await row.getByRole('cell').nth(4).innerText()).replace(/,/g, ''))).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'statistics-dashboard.png'), fullPage: true });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出年度汇总表' }).click();
    const file = await (await download).path();
    const book = await new ExcelJS.Workbook().xlsx.readFile(file);
    const sheet = book.getWorksheet('晋城市商务局')!;
    expect(sheet.getRow(1).getCell(1).value).toBe(`晋城市商务局 ${new Date().getFullYear()} 年度“双随机、一公开”抽查工作汇总表`);
    expect(sheet.getRow(3).getCell(2).value).toBe('对报废机动车回收拆解企业的部门联合抽查');
    expect(sheet.getRow(3).getCell(5).value).toBeGreaterThanOrEqual(1);
    await page.context().close();

    // On a phone the dashboard keeps to the screen's width.
    const phone = await signIn('commerce.head', { width: 390 });
    await phone.goto(`${hub.url}/statistics`);
    await phone.locator('canvas').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'statistics-390.png'), fullPage: true });
    await phone.context().close();
  });

  it('市抽县查: a county bureau’s officer gets the form for its city department’s items on a phone, and only for those', async () => {
    // Task 1 drawn 市抽县查 in 泽州县, with 泽州县's demo officers on the first visit.
    const visit = await hub.countyCheckedVisit();
    const marketItem = visit.items.find((i) => i.department.code === 'market')!;
    const commerceItem = visit.items.find((i) => i.department.code === 'commerce')!;

    const context = await newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true });
    const phone = await context.newPage();
    await phone.goto(hub.url);
    await phone.getByLabel('用户名').fill('zezhou-market.officer');
    await phone.getByLabel('密码').fill(DEMO_PASSWORD);
    await phone.getByRole('button', { name: /登\s*录/ }).click();
    await phone.getByRole('heading', { name: '我的检查' }).waitFor();
    // 我的检查 at 390 px: searchable by firm, no horizontal scrolling.
    const { inspection: drawn } = await (
      await hub.as('commerce.staff')
    ).ok('query($id: ID!) { inspection(id: $id) { enterprise { name } } }', {
      id: visit.id,
    });
    await phone.getByLabel('搜索企业').fill(drawn.enterprise.name.slice(0, 8));
    await phone.getByLabel('搜索企业').press('Enter');
    await phone.getByRole('link', { name: drawn.enterprise.name }).waitFor();
    await expect.poll(() => phone.getByText(/共 \d+ 项/).innerText()).toBe('共 1 项');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'my-visits-390.png'), fullPage: true });
    await phone.goto(`${hub.url}/inspections/${visit.id}`);
    const own = phone.getByTestId(`item-${marketItem.code}`);
    await own.getByRole('button', { name: /保存结果/ }).waitFor();
    expect(await phone.getByTestId(`item-${commerceItem.code}`).getByRole('button', { name: /保存/ }).count()).toBe(0);
    // 未发现问题 excludes the other results as they are ticked.
    await own.getByLabel('发现问题已责令改正').check();
    await own.getByLabel('未发现问题').check();
    expect(await own.getByLabel('发现问题已责令改正').isChecked()).toBe(false);
    await own.getByRole('button', { name: /保存结果/ }).click();
    await own.getByText('已录入').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'county-officer-phone.png'), fullPage: true });
    // At 390 px the menu is a drawer: the page keeps its full width, and the drawer closes on navigation.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.getByRole('button', { name: '菜单' }).click();
    const drawer = phone.getByRole('dialog');
    await drawer.getByRole('menuitem', { name: '问题移送' }).waitFor();
    // The screenshot once the drawer has slid fully in (its left edge at 0).
    await expect.poll(async () => (await drawer.boundingBox())?.x).toBe(0);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'menu-drawer-390.png') });
    await drawer.getByRole('menuitem', { name: '问题移送' }).click();
    await phone.waitForURL(/\/referrals$/);
    await drawer.waitFor({ state: 'hidden' });
    await context.close();
  });
});
