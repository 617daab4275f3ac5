// Runs a reveal in its own process, so a test can kill it mid-transaction.
import 'reflect-metadata';
import { openOrm } from '../../server/src/db/orm.js';
import { Role } from '../../server/src/core/roles.js';
import { revealDraw } from '../../server/src/modules/draws/reveal.service.js';

const [databaseUrl, drawId, userId, departmentId] = process.argv.slice(2);
const orm = await openOrm(databaseUrl, 2);
await revealDraw(
  orm.em.fork(),
  {
    userId: Number(userId),
    username: 'child',
    departmentId: Number(departmentId),
    roles: [Role.STAFF],
    officerId: null,
    expiresAt: Number.MAX_SAFE_INTEGER,
    sessionId: null,
    mustChangePassword: false,
  },
  drawId,
);
await orm.close();
