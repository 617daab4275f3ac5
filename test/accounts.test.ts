import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, type Session, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { id mustChangePassword } } }';
const CREATE =
  'mutation($u: String!, $n: String!, $d: ID!, $o: ID) { createUser(input: { username: $u, displayName: $n, departmentId: $d, officerId: $o }) { oneTimePassword user { id username roles mustChangePassword } } }';
const GRANT = 'mutation($id: ID!, $r: [Role!]!) { grantRoles(id: $id, roles: $r) { roles } }';
const REVOKE = 'mutation($id: ID!, $r: [Role!]!) { revokeRoles(id: $id, roles: $r) { roles } }';

async function departmentId(code: string): Promise<string> {
  const { departments } = await (await hub.as('admin')).ok('{ departments { id code } }');
  return departments.find((d: { code: string }) => d.code === code).id;
}

async function userId(username: string): Promise<string> {
  const { users } = await (await hub.as('admin')).ok('query($s: String) { users(search: $s) { nodes { id username } } }', { s: username });
  return users.nodes.find((u: { username: string }) => u.username === username).id;
}

/** A new account with a one-time password, signed in (before the forced change). */
async function newAccount(username: string, department = 'commerce'): Promise<{ id: string; password: string; session: Session }> {
  const { createUser } = await (await hub.as('admin')).ok(CREATE, { u: username, n: `测试${username}`, d: await departmentId(department) });
  const { login } = await hub.anonymous.ok(LOGIN, { u: username, p: createUser.oneTimePassword });
  return { id: createUser.user.id, password: createUser.oneTimePassword, session: hub.session(login.token) };
}

describe('who may do what (三员分立)', () => {
  // operation, then for admin / security / auditor / commerce.staff / commerce.head: allowed (true) or FORBIDDEN (false).
  const MATRIX: [string, string, (ids: Record<string, string>) => Record<string, unknown>, boolean[]][] = [
    ['users', '{ users { totalCount } }', () => ({}), [true, true, false, false, false]],
    ['departments', '{ departments { id } }', () => ({}), [true, true, true, true, true]],
    ['officers (to link accounts)', '{ officers(first: 1) { totalCount } }', () => ({}), [true, false, false, true, true]],
    ['auditLog', '{ auditLog(first: 1) { id } }', () => ({}), [false, false, true, false, false]],
    ['plans (business data)', '{ plans { id } }', () => ({}), [false, false, false, true, true]],
    ['enterprises (business data)', '{ enterprises(first: 1) { totalCount } }', () => ({}), [false, false, false, true, true]],
    ['events (business data)', '{ events(first: 1) { endCursor } }', () => ({}), [false, false, false, true, true]],
    ['sessions (own)', '{ sessions { id } }', () => ({}), [true, true, true, true, true]],
    ['securityPolicy', '{ securityPolicy { idleMinutes } }', () => ({}), [true, true, true, true, true]],
    [
      'setSecurityPolicy',
      'mutation { setSecurityPolicy(idleMinutes: 30) { idleMinutes } }',
      () => ({}),
      [false, true, false, false, false],
    ],
    [
      'updateUser',
      'mutation($id: ID!) { updateUser(id: $id, input: { displayName: "市商务局见证人" }) { id } }',
      (ids) => ({ id: ids.witness }),
      [true, false, false, false, false],
    ],
    ['unlockUser', 'mutation($id: ID!) { unlockUser(id: $id) { id } }', (ids) => ({ id: ids.witness }), [false, true, false, false, false]],
    [
      'grantRoles',
      'mutation($id: ID!) { grantRoles(id: $id, roles: [WITNESS]) { id } }',
      (ids) => ({ id: ids.witness }),
      [false, true, false, false, false],
    ],
    [
      'updateDepartment',
      'mutation($id: ID!) { updateDepartment(id: $id, input: { shortName: "市商务局" }) { id } }',
      (ids) => ({ id: ids.commerce }),
      [true, false, false, false, false],
    ],
  ];
  const PERSONAS = ['admin', 'security', 'auditor', 'commerce.staff', 'commerce.head'];

  it.each(MATRIX)('%s', async (_name, query, variables, allowed) => {
    const ids = { witness: await userId('commerce.witness'), commerce: await departmentId('commerce') };
    for (const [k, persona] of PERSONAS.entries()) {
      const result = await (await hub.as(persona)).query(query, variables(ids));
      expect([persona, result.errors ? codes(result) : 'ok']).toEqual([persona, allowed[k] ? 'ok' : ['FORBIDDEN']]);
    }
  });

  it('never lets one account hold two of the 三员, or one of them with a business role — in the API and in the database', async () => {
    const security = await hub.as('security');
    const auditor = await userId('auditor');
    const refused = await security.query(GRANT, { id: auditor, r: ['ADMIN'] });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'roles' });
    expect(refused.errors![0].message).toContain('三员分立');
    expect((await security.query(GRANT, { id: await userId('admin'), r: ['STAFF'] })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect((await security.query(GRANT, { id: await userId('commerce.staff'), r: ['AUDITOR'] })).errors![0].message).toContain(
      '不能同时担任业务角色',
    );
    // Nor can a security administrator grant itself anything.
    expect(codes(await security.query(GRANT, { id: await userId('security'), r: ['AUDITOR'] }))).toEqual(['FORBIDDEN']);
    const db = await superuser(hub.databaseUrl);
    await expect(db.query("update app_user set roles = '{ADMIN,AUDITOR}' where username = 'auditor'")).rejects.toThrow(
      /app_user_admin_role_alone/,
    );
    await db.end();
  });

  it('keeps the last active holder of each administrator role', async () => {
    const admin = await hub.as('admin');
    const result = await admin.query('mutation($id: ID!) { disableUser(id: $id, reason: "离职") { active } }', {
      id: await userId('auditor'),
    });
    expect(codes(result)).toEqual(['CONFLICT']);
    expect(result.errors![0].message).toContain('唯一启用的审计管理员');
    expect(codes(await (await hub.as('security')).query(REVOKE, { id: await userId('admin'), r: ['ADMIN'] }))).toEqual(['CONFLICT']);
    expect(
      codes(await admin.query('mutation($id: ID!) { disableUser(id: $id, reason: "x") { id } }', { id: await userId('admin') })),
    ).toEqual(['FORBIDDEN']);
  });

  it('shows the auditor every action of the other two administrators, refused ones included', async () => {
    const { id } = await newAccount('audit.trail');
    await (await hub.as('security')).ok(GRANT, { id, r: ['WITNESS'] });
    await (await hub.as('admin')).query(GRANT, { id, r: ['STAFF'] });
    const { auditLog } = await (await hub.as('auditor')).ok('{ auditLog(first: 50) { operation success errorCode target } }');
    expect(auditLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'createUser', success: true, target: 'username=audit.trail' }),
        expect.objectContaining({ operation: 'grantRoles', success: true, target: `id=${id}` }),
        expect.objectContaining({ operation: 'grantRoles', success: false, errorCode: 'FORBIDDEN', target: `id=${id}` }),
      ]),
    );
  });
});

describe('accounts', () => {
  it('creates an account with a one-time password that must be changed before anything else', async () => {
    const { id, password, session } = await newAccount('li.clerk');
    expect(password).toMatch(/^.{14}$/);
    expect((await session.ok('{ me { username mustChangePassword roles } }')).me).toEqual({
      username: 'li.clerk',
      mustChangePassword: true,
      roles: [],
    });
    await (await hub.as('security')).ok(GRANT, { id, r: ['STAFF'] });
    const blocked = await session.query('{ plans { id } }');
    expect(blocked.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED' });

    const CHANGE = 'mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { mustChangePassword } }';
    for (const [weak, rule] of [
      ['Ab1!', '至少 8 个字符'],
      ['abcdefgh1', '至少三类'],
      ['Li.Clerk2026!', '不能包含用户名'],
    ]) {
      const result = await session.query(CHANGE, { o: password, n: weak });
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
      expect(result.errors![0].message).toContain(rule);
    }
    expect((await session.query(CHANGE, { o: 'wrong', n: 'Jincheng#2026' })).errors![0].extensions).toMatchObject({ field: 'oldPassword' });
    expect((await session.ok(CHANGE, { o: password, n: 'Jincheng#2026' })).changePassword.mustChangePassword).toBe(false);
    expect((await session.ok('{ plans { id } }')).plans.length).toBeGreaterThan(0);
    // The one-time password no longer works; the new one does.
    expect(codes(await hub.anonymous.query(LOGIN, { u: 'li.clerk', p: password }))).toEqual(['UNAUTHENTICATED']);
    expect((await hub.anonymous.ok(LOGIN, { u: 'li.clerk', p: 'Jincheng#2026' })).login.user.mustChangePassword).toBe(false);
  });

  it('refuses a duplicate user name and a bad officer link, and writes nothing', async () => {
    const admin = await hub.as('admin');
    const market = await departmentId('market');
    const duplicate = await admin.query(CREATE, { u: 'commerce.staff', n: '重名', d: market });
    expect(duplicate.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
    const { officers } = await admin.ok('query($d: [ID!]) { officers(first: 1, departmentIds: $d) { nodes { id } } }', {
      d: [await departmentId('commerce')],
    });
    const wrong = await admin.query(CREATE, { u: 'wrong.link', n: '错配', d: market, o: officers.nodes[0].id });
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'officerId' });
    expect((await admin.ok('query { users(search: "wrong.link") { totalCount } }')).users.totalCount).toBe(0);
    expect((await admin.query(CREATE, { u: 'x', n: '短', d: market })).errors![0].extensions).toMatchObject({ field: 'username' });
  });

  it('resets a password: the old sessions end, the new one-time password must be changed', async () => {
    const { id, session } = await newAccount('wang.reset');
    const { resetPassword } = await (
      await hub.as('admin')
    ).ok('mutation($id: ID!) { resetPassword(id: $id) { oneTimePassword user { mustChangePassword } } }', { id });
    expect(resetPassword.user.mustChangePassword).toBe(true);
    expect(codes(await session.query('{ me { username } }'))).toEqual(['UNAUTHENTICATED']);
    expect((await hub.anonymous.ok(LOGIN, { u: 'wang.reset', p: resetPassword.oneTimePassword })).login.user.mustChangePassword).toBe(true);
  });

  it('unlocks an account locked by failed logins', async () => {
    await newAccount('zhao.locked');
    for (let i = 0; i < 5; i++) await hub.anonymous.query(LOGIN, { u: 'zhao.locked', p: 'guess' });
    const locked = await hub.anonymous.query(LOGIN, { u: 'zhao.locked', p: 'guess' });
    expect(locked.errors![0].message).toContain('已锁定');
    const id = await userId('zhao.locked');
    const security = await hub.as('security');
    expect((await security.ok('query($s: String) { users(search: $s) { nodes { locked } } }', { s: 'zhao.locked' })).users.nodes).toEqual([
      { locked: true },
    ]);
    await security.ok('mutation($id: ID!) { unlockUser(id: $id) { id } }', { id });
    expect(codes(await hub.anonymous.query(LOGIN, { u: 'zhao.locked', p: 'guess' }))).toEqual(['UNAUTHENTICATED']);
    expect((await hub.anonymous.query(LOGIN, { u: 'zhao.locked', p: 'guess' })).errors![0].message).toBe('用户名或密码错误');
  });
});

describe('sessions', () => {
  it('ends a revoked session at once, on HTTP and on an open WebSocket', async () => {
    const { login } = await hub.anonymous.ok(LOGIN, { u: 'police.staff', p: 'demo2026' });
    const session = hub.session(login.token);
    // The socket is up and accepted (connection_init acknowledged) before the account changes.
    const { closed } = await hub.watchUntilClosed(login.token);
    const { sessions } = await session.ok('{ sessions { id current } }');
    const current = sessions.find((s: { current: boolean }) => s.current);
    // The security administrator sees it among everyone's, and ends it.
    const security = await hub.as('security');
    const all = (await security.ok('{ sessions { id user { username } } }')).sessions;
    expect(all).toContainEqual({ id: current.id, user: { username: 'police.staff' } });
    await security.ok('mutation($id: ID!) { revokeSession(id: $id) { endReason } }', { id: current.id });
    expect(await closed).toBe(4401);
    const refused = await session.query('{ me { username } }');
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0].message).toContain('已退出或被注销');
  });

  it('logs out: the token stops working, another login goes on', async () => {
    const first = hub.session((await hub.anonymous.ok(LOGIN, { u: 'police.head', p: 'demo2026' })).login.token);
    const second = hub.session((await hub.anonymous.ok(LOGIN, { u: 'police.head', p: 'demo2026' })).login.token);
    expect((await first.ok('mutation { logout }')).logout).toBe(true);
    expect(codes(await first.query('{ me { username } }'))).toEqual(['UNAUTHENTICATED']);
    expect((await second.ok('{ me { username } }')).me.username).toBe('police.head');
    // Someone else's session is not theirs to end.
    const { sessions } = await (await hub.as('security')).ok('{ sessions { id user { username } } }');
    const other = sessions.find((s: { user: { username: string } }) => s.user.username !== 'police.head');
    expect(codes(await second.query('mutation($id: ID!) { revokeSession(id: $id) { id } }', { id: other.id }))).toEqual(['FORBIDDEN']);
  });

  it('ends a session idle longer than the policy allows', async () => {
    const security = await hub.as('security');
    expect(codes(await security.query('mutation { setSecurityPolicy(idleMinutes: 2) { idleMinutes } }'))).toEqual(['BAD_USER_INPUT']);
    expect((await security.ok('mutation { setSecurityPolicy(idleMinutes: 20) { idleMinutes } }')).setSecurityPolicy.idleMinutes).toBe(20);
    const { login } = await hub.anonymous.ok(LOGIN, { u: 'tax.staff', p: 'demo2026' });
    const session = hub.session(login.token);
    const { sessions } = await session.ok('{ sessions { id current } }');
    const id = sessions.find((s: { current: boolean }) => s.current).id;
    const db = await superuser(hub.databaseUrl);
    await db.query("update user_session set last_seen_at = now() - interval '19 minutes' where id = $1", [id]);
    expect((await session.ok('{ me { username } }')).me.username).toBe('tax.staff');
    await db.query("update user_session set last_seen_at = now() - interval '21 minutes' where id = $1", [id]);
    const idle = await session.query('{ me { username } }');
    expect(codes(idle)).toEqual(['UNAUTHENTICATED']);
    expect(idle.errors![0].message).toContain('长时间未操作');
    expect((await db.query('select end_reason from user_session where id = $1', [id])).rows[0].end_reason).toBe('IDLE');
    await db.end();
    await security.ok('mutation { setSecurityPolicy(idleMinutes: 30) { idleMinutes } }');
  });
});

describe('departments', () => {
  const CREATE_DEPT =
    'mutation($input: DepartmentInput!) { createDepartment(input: $input) { id code level parent { code } region { code } } }';

  it('adds a county bureau answering to a city department; refuses duplicates and a county parent', async () => {
    const admin = await hub.as('admin');
    const { regions } = await admin.ok('{ regions { id code name } }');
    const qinshui = regions.find((r: { name: string }) => r.name === '沁水县');
    const input = {
      code: 'qinshui-commerce',
      name: '沁水县商务局',
      shortName: '县商务局',
      level: 'COUNTY',
      regionId: qinshui.id,
      parentId: await departmentId('commerce'),
    };
    const { createDepartment } = await admin.ok(CREATE_DEPT, { input });
    expect(createDepartment).toMatchObject({ code: 'qinshui-commerce', level: 'COUNTY', parent: { code: 'commerce' } });
    expect((await admin.query(CREATE_DEPT, { input })).errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'code' });
    const underCounty = await admin.query(CREATE_DEPT, {
      input: { ...input, code: 'qinshui-x', name: '沁水县某局', parentId: createDepartment.id },
    });
    expect(underCounty.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    expect(codes(await (await hub.as('commerce.head')).query(CREATE_DEPT, { input: { ...input, code: 'y', name: 'y' } }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});
