import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateActivity } from '../server/src/cli/activity-generator.js';
import { TestHub } from './support/hub.js';

// A year with 100,000 visits of the commerce bureau (gen-activity, as the benchmark makes them),
// exported as one visits list while the server's memory is sampled: the rows stream out in
// batches, so the heap stays flat instead of holding the workbook.
const VISITS = 100_000;
let hub: TestHub;

beforeAll(async () => {
  hub = await TestHub.start();
  await generateActivity(hub.databaseUrl, {
    enterprises: 0,
    visits: VISITS,
    year: 2026,
    departments: [1],
    tasksPerDepartment: 8,
    log: () => undefined,
  });
}, 600_000);
afterAll(async () => hub?.close());

describe('a 100,000-row export', () => {
  it('streams with flat memory, every row written, and says how many rows are coming', async () => {
    const token = (await hub.as('commerce.staff')).token;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const file = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-export-')), 'visits.xlsx');
    const res = await fetch(`${hub.url}/api/inspections.xlsx?year=2026`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const rows = Number(res.headers.get('x-export-rows'));
    expect(rows).toBeGreaterThanOrEqual(VISITS);
    const out = fs.createWriteStream(file);
    for await (const chunk of res.body!) {
      out.write(chunk);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    await new Promise((resolve) => out.end(resolve));
    // The whole workbook in memory would be several hundred MB of row objects; streamed, the server holds a batch.
    expect((peak - before) / 2 ** 20).toBeLessThan(120);

    // Read back with the streaming reader: the title, the header and every row.
    let count = 0;
    let header: unknown[] = [];
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) {
      for await (const row of sheet) {
        count++;
        if (count === 2) header = (row.values as unknown[]).slice(1, 4);
      }
    }
    expect(header).toEqual(['序号', '统一社会信用代码', '企业名称']);
    expect(count).toBe(rows + 2);
    await fsp.rm(path.dirname(file), { recursive: true, force: true });
  });

  it('an export over the cap is refused before a byte is written, saying how to narrow it', async () => {
    const capped = await TestHub.attach(hub, { EXPORT_ROW_CAP: '50000' });
    try {
      const res = await fetch(`${capped.url}/api/inspections.xlsx?year=2026`, {
        headers: { authorization: `Bearer ${(await capped.as('commerce.staff')).token}` },
      });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; field: string; message: string } };
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'taskIds' });
      expect(error.message).toContain('上限 50000');
      expect(error.message).toContain('按抽查任务分别导出');
      // Narrowed to one task it goes through.
      const { tasks } = await (await capped.as('commerce.staff')).ok('{ tasks(search: "（模拟）", first: 1) { nodes { id } } }');
      const [simulated] = tasks.nodes;
      const one = await fetch(`${capped.url}/api/inspections.xlsx?year=2026&taskIds=${simulated.id}`, {
        headers: { authorization: `Bearer ${(await capped.as('commerce.staff')).token}` },
      });
      expect(one.status).toBe(200);
      expect(Number(one.headers.get('x-export-rows'))).toBeLessThan(50_000);
      await one.arrayBuffer();
    } finally {
      await capped.close();
    }
  });
});
