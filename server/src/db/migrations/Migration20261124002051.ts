import { Migration } from '@mikro-orm/migrations';

/** Enterprise industries move from a join table to an indexed array column (bulk import and draw speed). */
export class Migration20261124002051 extends Migration {
  override name = 'Migration20261124002051';

  override up(): void | Promise<void> {
    this.addSql(`alter table "enterprise" add "industry_ids" integer[] not null default '{}';`);
    this.addSql(`update "enterprise" e set "industry_ids" = s.ids
                   from (select enterprise_id, array_agg(industry_id order by industry_id) as ids
                           from "enterprise_industry" group by enterprise_id) s
                  where s.enterprise_id = e.id;`);
    this.addSql(`drop table if exists "enterprise_industry" cascade;`);
    this.addSql(`create index "enterprise_industry_ids_index" on "enterprise" using gin ("industry_ids");`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `create table "enterprise_industry" ("enterprise_id" int not null, "industry_id" int not null, primary key ("enterprise_id", "industry_id"));`,
    );
    this.addSql(`insert into "enterprise_industry" select id, unnest(industry_ids) from "enterprise";`);
    this.addSql(`create index "enterprise_industry_industry_id_index" on "enterprise_industry" ("industry_id", "enterprise_id");`);
    this.addSql(
      `alter table "enterprise_industry" add constraint "enterprise_industry_enterprise_id_foreign" foreign key ("enterprise_id") references "enterprise" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "enterprise_industry" add constraint "enterprise_industry_industry_id_foreign" foreign key ("industry_id") references "industry" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`alter table "enterprise" drop column "industry_ids";`);
  }
}
