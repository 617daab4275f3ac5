import { Migration } from '@mikro-orm/migrations';

/** 结果运用: a directed task may draw only the firms with a problem found in a given year's visits. */
export class Migration20261202170000 extends Migration {
  override name = 'Migration20261202170000';

  override up(): void | Promise<void> {
    this.addSql(`alter table "task" add "problem_year" int null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "task" drop column "problem_year";`);
  }
}
