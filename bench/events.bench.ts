/**
 * Event path benchmark: how fast events written in service-style transactions reach live
 * subscribers through PostgreSQL (NOTIFY + the commit-ordered `seq` reader), against the bare write rate
 * of the same transactions measured in the same run.
 *
 *   npm run bench:events            (EVENTS, SUBSCRIBERS, WRITERS, PER_TX to change the load)
 */
import 'reflect-metadata';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase } from '../server/src/db/database.js';
import { isPortFree, startEmbeddedPostgres } from '../server/src/db/embedded.js';
import { migrate, openOrm, type Orm } from '../server/src/db/orm.js';
import { EventBus } from '../server/src/modules/events/event-bus.js';
import { emitEvent } from '../server/src/modules/events/event.service.js';
import { EventType } from '../server/src/modules/events/event-types.js';
import { percentile } from './support.js';

const EVENTS = Number(process.env.EVENTS ?? 20_000);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 50);
const WRITERS = Number(process.env.WRITERS ?? 4);
const PER_TX = Number(process.env.PER_TX ?? 5);

/** WRITERS concurrent loops, each committing transactions of PER_TX events until EVENTS are written. */
async function writeEvents(orm: Orm, label: string): Promise<number> {
  const transactions = Math.ceil(EVENTS / PER_TX);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let t = next++; t < transactions; t = next++) {
        await orm.em.fork().transactional(async (em) => {
          for (let i = 0; i < PER_TX; i++) {
            await emitEvent(em, EventType.TASK_UPDATED, [1, 2], {
              taskId: t,
              planId: 1,
              version: i,
              changes: { label, sentAt: Date.now() },
            });
          }
        });
      }
    }),
  );
  return performance.now() - started;
}

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-bench-'));
  let port = 16500;
  while (!(await isPortFree(port))) port++;
  const cluster = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dir, port);
  const url = process.env.DATABASE_URL ?? cluster!.urlFor('bench');
  if (cluster) await ensureDatabase(cluster.urlFor('postgres'), 'bench');
  const orm = await openOrm(url, WRITERS + 2);
  try {
    await migrate(orm);
    await orm.em.getConnection().execute('truncate event');

    // Baseline: the same transactions with nobody listening or reading.
    const baselineMs = await writeEvents(orm, 'baseline');
    const baselinePerS = (EVENTS / baselineMs) * 1000;

    const bus = await EventBus.start(url);
    const latencies: number[] = [];
    const streams = Array.from({ length: SUBSCRIBERS }, (_, s) =>
      (async () => {
        let received = 0;
        for await (const event of bus.stream({ departmentId: 2, types: null, expiresAt: Number.MAX_SAFE_INTEGER }, null)) {
          const changes = (event.payload as unknown as { changes: { label: string; sentAt: number } }).changes;
          if (changes.label !== 'measured') continue;
          if (s === 0) latencies.push(Date.now() - changes.sentAt);
          if (++received === EVENTS) return performance.now();
        }
        return performance.now();
      })(),
    );
    const started = performance.now();
    const writeMs = await writeEvents(orm, 'measured');
    const finishedAt = Math.max(...(await Promise.all(streams)));
    const deliveredMs = finishedAt - started;
    const deliveredPerS = (EVENTS / deliveredMs) * 1000;
    await bus.stop();

    latencies.sort((a, b) => a - b);
    console.log(`events=${EVENTS} subscribers=${SUBSCRIBERS} writers=${WRITERS} per_tx=${PER_TX}`);
    console.log(`baseline: ${EVENTS} events written in ${baselineMs.toFixed(0)} ms (${baselinePerS.toFixed(0)}/s)`);
    console.log(
      `measured: written in ${writeMs.toFixed(0)} ms, all delivered to ${SUBSCRIBERS} subscribers in ${deliveredMs.toFixed(0)} ms`,
    );
    console.log(
      `latency (write → subscriber): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
    );
    console.log(
      `RESULT events=${EVENTS} subscribers=${SUBSCRIBERS} delivered_per_s=${deliveredPerS.toFixed(0)} baseline_insert_per_s=${baselinePerS.toFixed(0)} ` +
        `ratio=${(deliveredPerS / baselinePerS).toFixed(2)} p50_ms=${percentile(latencies, 50)} p99_ms=${percentile(latencies, 99)} ` +
        `peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`,
    );
  } finally {
    await orm.close();
    await cluster?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
