import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { projectRoot } from '../config.js';
import { RISK_CLASS_LABELS } from '../modules/registry/registry.enums.js';
import { type SyntheticIndustry, type SyntheticRegion, syntheticEnterprises } from '../modules/registry/synthetic.js';
import { ImportMode, type ImportReport } from '../modules/imports/import-report.js';
import type { ImportProgress } from '../modules/imports/table-import.js';

const STATUS_LABELS: Record<string, string> = { OPERATING: '存续', SUSPENDED: '歇业', REVOKED: '吊销', DEREGISTERED: '注销' };

/** The demo organisations file: the synthetic registry uses its region and industry names. */
export function demoRegistryShape(): { regions: SyntheticRegion[]; industries: SyntheticIndustry[] } {
  const orgs = JSON.parse(fs.readFileSync(path.join(projectRoot, 'seeds', 'jincheng-organisations.json'), 'utf8')) as {
    regions: SyntheticRegion[];
    industries: SyntheticIndustry[];
  };
  const weights: Record<string, number> = { '140502': 30, '140525': 18, '140581': 17, '140522': 13, '140521': 7, '140524': 6, 'JC-KFQ': 9 };
  return {
    regions: orgs.regions.map((r: SyntheticRegion) => ({ ...r, weight: weights[r.code] ?? 0 })),
    industries: orgs.industries,
  };
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes a deterministic synthetic registry as CSV with the headers departments use. */
export async function writeSyntheticEnterprises(count: number, out: string, seed?: string, startIndex = 0): Promise<void> {
  const { regions, industries } = demoRegistryShape();
  const names = new Map(industries.map((i) => [i.code, i.name]));
  const regionNames = new Map(regions.map((r) => [r.code, r.name]));
  const file = fs.createWriteStream(out);
  file.write('\uFEFF统一社会信用代码,企业名称,行业,所属区域,信用风险分类,住所,法定代表人,登记状态\n');
  let chunk = '';
  for (const e of syntheticEnterprises(count, regions, industries, seed, startIndex)) {
    chunk +=
      [
        e.uscc,
        e.name,
        e.industryCodes.map((c) => names.get(c)).join('、'),
        regionNames.get(e.regionCode)!,
        RISK_CLASS_LABELS[e.riskClass],
        e.address,
        e.legalRepresentative,
        STATUS_LABELS[e.status],
      ]
        .map(csvCell)
        .join(',') + '\n';
    if (chunk.length > 1 << 16) {
      if (!file.write(chunk)) await once(file, 'drain');
      chunk = '';
    }
  }
  file.end(chunk);
  await once(file, 'finish');
}

/** A one-line progress bar on stderr (only when stderr is a terminal). */
export function progressBar(label: string): (p: ImportProgress) => void {
  if (!process.stderr.isTTY) return () => {};
  const phases = { reading: '读取校验', checking: '查重', writing: '写入', done: '完成' };
  return (p) => {
    const ratio = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const filled = Math.round(ratio * 30);
    process.stderr.write(
      `\r${label} [${'█'.repeat(filled)}${'░'.repeat(30 - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${p.rows.toLocaleString('zh-CN')} 行 ${phases[p.phase]}   `,
    );
    if (p.phase === 'done') process.stderr.write('\n');
  };
}

export function parseImportFlags(args: string[]): { file: string; mode: ImportMode; allowPartial: boolean; json: boolean } {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('请指定要导入的文件（.xlsx 或 .csv）');
  const modeArg = args.find((a) => a.startsWith('--mode='))?.slice(7) ?? (args.includes('--upsert') ? 'upsert' : 'insert');
  if (modeArg !== 'insert' && modeArg !== 'upsert') throw new Error(`--mode 应为 insert 或 upsert，而不是“${modeArg}”`);
  return {
    file,
    mode: modeArg === 'upsert' ? ImportMode.UPSERT : ImportMode.INSERT,
    allowPartial: args.includes('--allow-partial'),
    json: args.includes('--json'),
  };
}

/** The report as people read it: the outcome, then every listed error by row. */
export function printReport(report: ImportReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(report));
    return;
  }
  const outcome = report.committed ? '已写入' : '未写入任何数据';
  console.log(`${outcome}：共 ${report.total} 行，新增 ${report.inserted}，更新 ${report.updated}，错误行 ${report.failed}`);
  for (const e of report.errors) console.log(`  第 ${e.row} 行 [${e.column}] “${e.value}”：${e.reason}`);
  if (report.errorCount > report.errors.length) console.log(`  …… 另有 ${report.errorCount - report.errors.length} 处错误未列出`);
}
