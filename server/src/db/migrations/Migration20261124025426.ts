import { Migration } from '@mikro-orm/migrations';

export class Migration20261124025426 extends Migration {
  override name = 'Migration20261124025426';

  override up(): void | Promise<void> {
    this.addSql(`alter table "draw" add "spec" jsonb null, add "populations" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "draw" drop column "spec", drop column "populations";`);
  }
}
