/**
 * Scaling: how the registry's queries would route if it were sharded by region (docs/scaling.md).
 * Citus is not installable here (no Debian package), so one PostgreSQL stands in: a province-sized
 * registry (ROWS, 3,600,000 by default, over 117 county-level regions) in a plain table, and the
 * same rows in a table hash-partitioned by region into 32 partitions — Citus's default shard
 * count, one partition per shard. For each query shape the hub runs, the bench prints how many
 * partitions ("shards") it touches and its median time on both layouts; the plain table is the
 * baseline measured in the same run.
 *
 *   npm run bench:scaling          (ROWS=3600000, REPEAT=15 to change it)
 */
import pg from 'pg';
import { benchDatabase, percentile } from './support.js';

const ROWS = Number(process.env.ROWS ?? 3_600_000);
const REPEAT = Number(process.env.REPEAT ?? 15);
const SHARDS = 32;
const REGIONS = 117;

interface Shape {
  name: string;
  /** Where it stays in a sharded deployment: what docs/scaling.md says of it. */
  routing: string;
  sql: (table: string) => string;
}

const SHAPES: Shape[] = [
  {
    name: 'draw population of one county (risk-class strata)',
    routing: 'one shard',
    sql: (t) =>
      `select risk_class, count(*) from ${t} where region_id = 42 and industry_id = any('{3,7,11}') and status = 'ACTIVE' group by risk_class`,
  },
  {
    name: 'draw population of a task over 5 counties',
    routing: 'the counties’ shards',
    sql: (t) =>
      `select region_id, risk_class, count(*) from ${t} where region_id = any('{5,17,42,77,101}') and industry_id = 7 group by 1, 2`,
  },
  {
    name: 'a county’s registry page (staff list)',
    routing: 'one shard',
    sql: (t) => `select id, uscc, name from ${t} where region_id = 42 order by id limit 50`,
  },
  {
    name: 'province statistics by region and risk class',
    routing: 'all shards (aggregates pushed down)',
    sql: (t) => `select region_id, risk_class, count(*) from ${t} group by 1, 2`,
  },
  {
    name: 'one firm by USCC, without a directory',
    routing: 'all shards',
    sql: (t) => `select id, region_id from ${t} where uscc = '91140500MA0000042X'`,
  },
  {
    name: 'one firm by USCC through the uscc → region directory',
    routing: 'one shard',
    sql: (t) =>
      `select e.id from ${t} e where e.region_id = (select region_id from uscc_directory where uscc = '91140500MA0000042X') and e.uscc = '91140500MA0000042X'`,
  },
];

async function timeIt(db: pg.Client, sql: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await db.query(sql);
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

/** Partitions a query reads when it runs (pruned at planning, or at execution for the directory's value). */
async function partitionsTouched(db: pg.Client, sql: string): Promise<number> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off, timing off, summary off) ${sql}`);
  const read = rows.map((r) => r['QUERY PLAN']).filter((line) => !line.includes('never executed'));
  return new Set(read.flatMap((line) => [...line.matchAll(/ on (enterprise_shard_\d+)/g)].map((m) => m[1]))).size;
}

async function main() {
  const bench = await benchDatabase('scaling');
  const db = new pg.Client({ connectionString: bench.url });
  await db.connect();
  try {
    const t0 = performance.now();
    const columns = `id bigint not null, uscc text not null, name text not null, region_id int not null, industry_id int not null, risk_class text not null, status text not null`;
    await db.query(`create table enterprise_plain (${columns}, primary key (id))`);
    // Citus's rule, kept here: the distribution column is part of every unique key.
    await db.query(`create table enterprise_sharded (${columns}, primary key (region_id, id)) partition by hash (region_id)`);
    for (let s = 0; s < SHARDS; s++) {
      await db.query(
        `create table enterprise_shard_${s} partition of enterprise_sharded for values with (modulus ${SHARDS}, remainder ${s})`,
      );
    }
    await db.query(`insert into enterprise_plain
      select g, '911405' || lpad(g::text, 12, '0'), '企业' || g, 1 + (g::bigint * 7919) % ${REGIONS}, 1 + (g::bigint * 104729) % 40,
             (array['A_LOW','B_GENERAL','C_ELEVATED','D_HIGH'])[1 + (g % 4)], case when g % 50 = 0 then 'CANCELLED' else 'ACTIVE' end
        from generate_series(1, ${ROWS}) g`);
    await db.query(`update enterprise_plain set uscc = '91140500MA0000042X' where id = 42`);
    await db.query(`insert into enterprise_sharded select * from enterprise_plain`);
    for (const t of ['enterprise_plain', 'enterprise_sharded']) {
      await db.query(`create index on ${t} (region_id, industry_id)`);
      await db.query(`create index on ${t} (uscc)`);
      await db.query(`analyze ${t}`);
    }
    await db.query(`create table uscc_directory (uscc text primary key, region_id int not null)`);
    await db.query(`insert into uscc_directory select uscc, region_id from enterprise_plain`);
    await db.query(`analyze uscc_directory`);
    console.log(
      `${ROWS.toLocaleString('en')} firms over ${REGIONS} regions, ${SHARDS} partitions, loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
    );

    console.log(
      'query shape                                              routing                              shards  plain ms  sharded ms',
    );
    let oneShard = 0;
    let ratios: number[] = [];
    for (const shape of SHAPES) {
      const plain = await timeIt(db, shape.sql('enterprise_plain'));
      const sharded = await timeIt(db, shape.sql('enterprise_sharded'));
      const touched = await partitionsTouched(db, shape.sql('enterprise_sharded'));
      if (touched === 1) oneShard++;
      ratios.push(plain / sharded);
      console.log(
        `${shape.name.padEnd(56)} ${shape.routing.padEnd(36)} ${String(touched).padStart(6)} ${plain.toFixed(1).padStart(9)} ${sharded.toFixed(1).padStart(11)}`,
      );
    }
    ratios = ratios.map((r) => Math.round(r * 100) / 100);
    console.log(
      `RESULT rows=${ROWS} shards=${SHARDS} shapes=${SHAPES.length} one_shard_shapes=${oneShard} plain_over_sharded=${ratios.join(',')}`,
    );
  } finally {
    await db.end();
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
