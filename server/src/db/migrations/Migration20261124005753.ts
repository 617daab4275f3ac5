import { Migration } from '@mikro-orm/migrations';

export class Migration20261124005753 extends Migration {
  override name = 'Migration20261124005753';

  override up(): void | Promise<void> {
    this.addSql(`alter table "draw" drop column "rotation_offset";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "draw" add "rotation_offset" double precision not null default 0;`);
  }
}
