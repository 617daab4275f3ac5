import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../server/src/core/roles.js';
import { assertInScope, inScope, scopeDepartment, scopeOf, type Viewer } from '../server/src/core/viewer.js';
import { codes, TestHub, type Visit } from './support/hub.js';

function viewer(roles: Role[], departmentId: number): Viewer {
  return { userId: 1, username: 'u', departmentId, roles, officerId: null, expiresAt: 0, sessionId: null, mustChangePassword: false };
}

describe('the scope rule (core/viewer.ts)', () => {
  // A record that departments 1 (lead) and 2 (partner) take part in.
  const record = [1, 2];
  it.each([
    // The 三员 read no business data (graphql/auth.ts refuses them first); their scope is their own department's.
    ['ADMIN of another department', viewer([Role.ADMIN], 9), false, 9],
    ['AUDITOR of another department', viewer([Role.AUDITOR], 9), false, 9],
    ['STAFF of the lead', viewer([Role.STAFF], 1), true, 1],
    ['HEAD of a partner', viewer([Role.HEAD], 2), true, 2],
    ['OFFICER of a partner', viewer([Role.OFFICER], 2), true, 2],
    ['WITNESS of the lead', viewer([Role.WITNESS], 1), true, 1],
    ['STAFF of an uninvolved department', viewer([Role.STAFF], 3), false, 3],
    ['HEAD and WITNESS of an uninvolved department', viewer([Role.HEAD, Role.WITNESS], 3), false, 3],
  ])('%s: in scope %s, limited to department %s', (_name, who, expected, department) => {
    expect(inScope(who, record)).toBe(expected);
    expect(scopeDepartment(who)).toBe(department);
    expect(scopeOf(who).all).toBe(department === null);
    if (expected) expect(() => assertInScope(who, record, '不在范围内')).not.toThrow();
    else expect(() => assertInScope(who, record, '不在范围内')).toThrow('不在范围内');
  });
});

describe('the scope rule through the API', () => {
  let hub: TestHub;
  let visit: Visit;
  beforeAll(async () => {
    hub = await TestHub.start();
    // Task 2: commerce leads, market supervision and police partner with their own items.
    [visit] = await hub.visitsWithTeam(['commerce.officer', 'market.officer', 'police.officer'], 1);
  });
  afterAll(async () => hub?.close());

  const LISTS = `{ inspections(first: 500) { nodes { id } } draws { id } plans { id } tasks(first: 500) { nodes { id } } }`;

  it.each([
    // persona, sees the visit, sees the draw, plans visible, sees task 2
    ['commerce.staff', true, true, true, true],
    ['market.staff', true, true, true, true],
    ['police.officer', true, true, true, true],
    ['tax.staff', false, false, false, false],
    ['qinshui-industry.staff', false, false, false, false],
  ])('%s: visit %s, draw %s, plan %s, task %s', async (persona, seesVisit, seesDraw, seesPlan, seesTask) => {
    const session = await hub.as(persona);
    const lists = await session.ok(LISTS);
    expect(lists.inspections.nodes.some((n: { id: string }) => n.id === visit.id)).toBe(seesVisit);
    expect(lists.draws.length > 0).toBe(seesDraw);
    expect(lists.plans.length > 0).toBe(seesPlan);
    expect(lists.tasks.nodes.some((n: { id: string }) => n.id === '2')).toBe(seesTask);
    const one = await session.query('query($id: ID!) { inspection(id: $id) { id } }', { id: visit.id });
    expect(one.errors ? codes(one) : 'ok').toEqual(seesVisit ? 'ok' : ['FORBIDDEN']);
  });
});
