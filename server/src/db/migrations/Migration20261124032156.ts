import { Migration } from '@mikro-orm/migrations';

export class Migration20261124032156 extends Migration {
  override name = 'Migration20261124032156';

  override up(): void | Promise<void> {
    // Derived: a publication is followed by the departments of its visit (inspection.department_ids).
    this.addSql(`alter table "publication" drop column "visible_to";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "publication" add "visible_to" integer[] null;`);
    this.addSql(`update "publication" p set "visible_to" = i."department_ids" from "inspection" i where i."id" = p."inspection_id";`);
    this.addSql(`alter table "publication" alter column "visible_to" set not null;`);
  }
}
