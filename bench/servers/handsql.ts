/**
 * The physical limit for bench:list: one hand-written SQL statement builds the whole answer with
 * json_agg, behind a bare HTTP server. `node --import tsx bench/servers/handsql.ts DATABASE_URL PORT`.
 */
import { createServer } from 'node:http';
import pg from 'pg';

const [databaseUrl, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });

/** The same page the hub serves: 100 visits of the department with firm, tasks, team and findings. */
export const PAGE_SQL = `
select json_build_object('data', json_build_object('inspections', json_build_object('nodes', coalesce(json_agg(x order by x.n), '[]'))))::text as body
  from (select i.id as n, i.id::text as id, i.status,
               (select json_build_object('name', e.name, 'uscc', e.uscc) from enterprise e where e.id = i.enterprise_id) as enterprise,
               (select coalesce(json_agg(json_build_object('id', t.id::text, 'name', t.name) order by t.id), '[]')
                  from inspection_task it join task t on t.id = it.task_id where it.inspection_id = i.id) as tasks,
               (select coalesce(json_agg(json_build_object('id', o.id::text, 'name', o.name, 'certificateNo', o.certificate_no) order by o.id), '[]')
                  from inspection_officer io join officer o on o.id = io.officer_id where io.inspection_id = i.id) as officers,
               (select coalesce(json_agg(json_build_object('id', f.id::text, 'results', f.results, 'notes', f.notes) order by f.id), '[]')
                  from finding f where f.inspection_id = i.id) as findings
          from inspection i where i.department_ids @> array[$1::int] order by i.id limit 100) x`;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    pool.query<{ body: string }>(PAGE_SQL, [Number(process.env.DEPARTMENT_ID ?? 1)]).then(
      ({ rows }) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(rows[0].body);
      },
      (err: Error) => {
        res.writeHead(500);
        res.end(err.message);
      },
    );
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
