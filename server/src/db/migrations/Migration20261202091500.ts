import { Migration } from '@mikro-orm/migrations';

/**
 * Events are read in commit order. A deferred trigger numbers each event row at its transaction's
 * commit, under a transaction-level advisory lock held until the commit is visible: numbers are
 * handed out in commit order, so readers page by `seq` with no horizon and no transaction (with or
 * without events, however long) can hold other departments' events back.
 */
export class Migration20261202091500 extends Migration {
  override name = 'Migration20261202091500';

  override up(): void | Promise<void> {
    this.addSql(`create sequence "event_seq";`);
    this.addSql(`alter table "event" add "seq" bigint null;`);
    // Existing events keep the order readers saw them in.
    this.addSql(
      `update "event" e set "seq" = o.n from (select id, row_number() over (order by tx, id) as n from "event") o where e.id = o.id;`,
    );
    this.addSql(`select setval('event_seq', coalesce((select max(seq) from "event"), 0) + 1, false);`);
    this.addSql(`create unique index "event_seq_unique" on "event" ("seq");`);
    this.addSql(`drop index if exists "event_tx_id_index";`);
    this.addSql(`create or replace function event_assign_seq() returns trigger language plpgsql as $$
      begin
        -- Held until this transaction's commit is visible: the next transaction numbers after it.
        perform pg_advisory_xact_lock(7370263391);
        update "event" set "seq" = nextval('event_seq') where id = new.id;
        return null;
      end $$;`);
    this.addSql(
      `create constraint trigger "event_assign_seq" after insert on "event" deferrable initially deferred for each row execute function event_assign_seq();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "event_assign_seq" on "event";`);
    this.addSql(`drop function if exists event_assign_seq();`);
    this.addSql(`create index "event_tx_id_index" on "event" ("tx", "id");`);
    this.addSql(`alter table "event" drop column "seq";`);
    this.addSql(`drop sequence if exists "event_seq";`);
  }
}
