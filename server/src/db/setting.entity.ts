import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Installation-wide values that every server instance on the database must share (e.g. the token secret). */
@Entity({ tableName: 'app_setting' })
export class Setting {
  @PrimaryKey({ type: 'string', length: 64 })
  key: string;

  @Property({ type: 'text' })
  value: string;

  constructor(key: string, value: string) {
    this.key = key;
    this.value = value;
  }
}
