/**
 * Registry import benchmark: a 1,000,000-row enterprise CSV through the real import path
 * (stream → validate → COPY into staging → set-based checks → merge), against loading the same
 * file with plain COPY into a table with the same indexes, in the same run.
 *
 *   npm run bench:import            (ROWS to change the size)
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { writeSyntheticEnterprises } from '../server/src/cli/registry-commands.js';
import { enterpriseImport } from '../server/src/modules/registry/import/enterprise-import.js';
import { ImportMode } from '../server/src/modules/imports/import-report.js';
import { runImport } from '../server/src/modules/imports/table-import.js';
import { benchDatabase } from './support.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);

async function main() {
  const bench = await benchDatabase('import');
  const { url, dir } = bench;
  try {
    const file = path.join(dir, 'enterprises.csv');
    let t = performance.now();
    await writeSyntheticEnterprises(ROWS, file, 'bench', 10_000_000);
    const mb = fs.statSync(file).size / 1e6;
    console.log(`generated ${ROWS.toLocaleString()} rows (${mb.toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const rssBefore = process.resourceUsage().maxRSS;
    t = performance.now();
    const report = await runImport(url, enterpriseImport, file, { mode: ImportMode.INSERT, allowPartial: false });
    const importMs = performance.now() - t;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    if (!report.committed || report.inserted !== ROWS)
      throw new Error(`import did not complete: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 5) })}`);
    console.log(
      `import: ${ROWS.toLocaleString()} rows in ${(importMs / 1000).toFixed(2)} s (peak RSS ${peakRssMb.toFixed(0)} MB; before import ${(rssBefore / 1024).toFixed(0)} MB)`,
    );

    // Baseline: the same file through COPY into a table with the same columns' indexes.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`create table copy_baseline (uscc varchar(18) not null unique, name varchar(255) not null, industries text, region text,
                      risk text, address varchar(255), legal_representative varchar(64), status text)`);
    await db.query('create index on copy_baseline using gin (name gin_trgm_ops)');
    await db.query('create index on copy_baseline (region, risk)');
    t = performance.now();
    await pipeline(
      fs.createReadStream(file),
      db.query(copyFrom(`copy copy_baseline from stdin with (format csv, header true, encoding 'UTF8')`)),
    );
    const baselineMs = performance.now() - t;
    const copied = Number((await db.query<{ count: string }>('select count(*) from copy_baseline')).rows[0].count);
    await db.end();
    console.log(`baseline COPY: ${copied.toLocaleString()} rows in ${(baselineMs / 1000).toFixed(2)} s`);

    const rowsPerS = (ROWS / importMs) * 1000;
    const baselinePerS = (copied / baselineMs) * 1000;
    console.log(
      `RESULT rows=${ROWS} rows_per_s=${rowsPerS.toFixed(0)} baseline_rows_per_s=${baselinePerS.toFixed(0)} ratio=${(rowsPerS / baselinePerS).toFixed(2)} peak_rss_mb=${peakRssMb.toFixed(0)}`,
    );
  } finally {
    await bench.stop();
  }
}

await main();
