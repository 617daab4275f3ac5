import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123234900 } from './Migration20261123234900.js';
import { Migration20261124002051 } from './Migration20261124002051.js';
import { Migration20261124003118 } from './Migration20261124003118.js';
import { Migration20261124004236 } from './Migration20261124004236.js';
import { Migration20261124005753 } from './Migration20261124005753.js';
import { Migration20261124010046 } from './Migration20261124010046.js';
import { Migration20261124010329 } from './Migration20261124010329.js';
import { Migration20261124012007 } from './Migration20261124012007.js';
import { Migration20261124013009 } from './Migration20261124013009.js';
import { Migration20261124021049 } from './Migration20261124021049.js';
import { Migration20261124024829 } from './Migration20261124024829.js';
import { Migration20261124025426 } from './Migration20261124025426.js';
import { Migration20261124032156 } from './Migration20261124032156.js';
import { Migration20261202023644 } from './Migration20261202023644.js';
import { Migration20261202034030 } from './Migration20261202034030.js';
import { Migration20261202062111 } from './Migration20261202062111.js';
import { Migration20261202091500 } from './Migration20261202091500.js';
import { Migration20261202094500 } from './Migration20261202094500.js';
import { Migration20261202103000 } from './Migration20261202103000.js';
import { Migration20261202130000 } from './Migration20261202130000.js';
import { Migration20261202044819 } from './Migration20261202044819.js';

/** Committed migrations, in order. Add each new one here after `npm run migration:create`. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123234900', class: Migration20261123234900 },
  { name: 'Migration20261124002051', class: Migration20261124002051 },
  { name: 'Migration20261124003118', class: Migration20261124003118 },
  { name: 'Migration20261124004236', class: Migration20261124004236 },
  { name: 'Migration20261124005753', class: Migration20261124005753 },
  { name: 'Migration20261124010046', class: Migration20261124010046 },
  { name: 'Migration20261124010329', class: Migration20261124010329 },
  { name: 'Migration20261124012007', class: Migration20261124012007 },
  { name: 'Migration20261124013009', class: Migration20261124013009 },
  { name: 'Migration20261124021049', class: Migration20261124021049 },
  { name: 'Migration20261124024829', class: Migration20261124024829 },
  { name: 'Migration20261124025426', class: Migration20261124025426 },
  { name: 'Migration20261124032156', class: Migration20261124032156 },
  { name: 'Migration20261202023644', class: Migration20261202023644 },
  { name: 'Migration20261202034030', class: Migration20261202034030 },
  { name: 'Migration20261202044819', class: Migration20261202044819 },
  { name: 'Migration20261202062111', class: Migration20261202062111 },
  { name: 'Migration20261202091500', class: Migration20261202091500 },
  { name: 'Migration20261202094500', class: Migration20261202094500 },
  { name: 'Migration20261202103000', class: Migration20261202103000 },
  { name: 'Migration20261202130000', class: Migration20261202130000 },
];
