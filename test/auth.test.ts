import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, superuser, TestHub } from './support/hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await TestHub.start();
});
afterAll(async () => hub?.close());

describe('login', () => {
  it('returns a token, its expiry and the account', async () => {
    const { login } = await hub.anonymous.ok(
      'mutation { login(username: "commerce.head", password: "demo2026") { token expiresAt user { username roles department { name } } } }',
    );
    expect(login.user).toEqual({ username: 'commerce.head', roles: ['HEAD'], department: { name: '晋城市商务局' } });
    expect(login.token.split('.')).toHaveLength(3);
    expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const [u, p] of [
      ['commerce.head', 'wrong'],
      ['nobody', 'demo2026'],
    ]) {
      const result = await hub.anonymous.query('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
        u,
        p,
      });
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.errors![0].message).toBe('用户名或密码错误');
    }
  });

  it('locks a user name out after five failures (counted from the shared audit log), and no other', async () => {
    const attempt = (u: string, p: string) =>
      hub.anonymous.query('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u, p });
    for (let i = 0; i < 5; i++) expect((await attempt('tax.head', 'guess')).errors![0].message).toBe('用户名或密码错误');
    const locked = await attempt('tax.head', 'demo2026');
    expect(codes(locked)).toEqual(['UNAUTHENTICATED']);
    expect(locked.errors![0].message).toBe('登录失败次数过多，账号已锁定 15 分钟；可请安全管理员解锁');
    expect((await attempt('tax.staff', 'demo2026')).data?.login.token).toBeTruthy();
  });

  it('names the missing field', async () => {
    const result = await hub.anonymous.query('mutation { login(username: " ", password: "x") { token } }');
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
  });

  it('renews a token for a signed-in user', async () => {
    const staff = await hub.as('market.staff');
    const { renewToken } = await staff.ok('mutation { renewToken { token user { username } } }');
    expect(renewToken.user.username).toBe('market.staff');
    const { me } = await hub.session(renewToken.token).ok('{ me { username } }');
    expect(me.username).toBe('market.staff');
  });
});

describe('authentication on HTTP', () => {
  it('rejects operations without a token', async () => {
    for (const q of ['{ me { username } }', '{ plans { id } }', '{ enterprises { totalCount } }', 'mutation { renewToken { token } }']) {
      expect(codes(await hub.anonymous.query(q))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('rejects a forged, a garbage and an expired token', async () => {
    const forged = await new SignJWT({ dept: 1, roles: ['ADMIN'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('inspection-hub')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-secret'));
    // Signed with the real secret, but an hour past its expiry.
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query("select value from app_setting where key = 'token_secret'");
    await db.end();
    const expired = await new SignJWT({ dept: 1, roles: ['STAFF'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('inspection-hub')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(rows[0].value));
    // Signed with the real secret and unexpired, for a real session: accepted; without a session: refused.
    const { sessions } = await (await hub.as('commerce.staff')).ok('{ sessions { id current } }');
    const sid = sessions.find((s: { current: boolean }) => s.current).id;
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ dept: 1, roles: ['STAFF'], ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('1')
        .setIssuer('inspection-hub')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(rows[0].value));
    expect((await hub.session(await signed({ sid })).ok('{ me { username } }')).me.username).toBe('commerce.staff');
    for (const token of [forged, 'garbage', expired, await signed({})]) {
      const result = await hub.session(token).query('{ me { username } }');
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('stops a disabled account at once, token or not', async () => {
    const officer = await hub.as('tax.officer');
    expect((await officer.ok('{ me { username } }')).me.username).toBe('tax.officer');
    const db = await superuser(hub.databaseUrl);
    await db.query("update app_user set active = false where username = 'tax.officer'");
    await db.end();
    expect(codes(await officer.query('{ me { username } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('leaves login usable with a stale token', async () => {
    const result = await hub
      .session('garbage')
      .query('mutation { login(username: "police.staff", password: "demo2026") { user { username } } }');
    expect(result.data?.login.user.username).toBe('police.staff');
  });
});

describe('roles', () => {
  it('keeps witnesses out of the registries', async () => {
    const witness = await hub.as('commerce.witness');
    expect(codes(await witness.query('{ enterprises(first: 1) { totalCount } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await witness.query('{ officers(first: 1) { totalCount } }'))).toEqual(['FORBIDDEN']);
  });

  it('lets only HEAD approve and only STAFF/HEAD edit tasks', async () => {
    const officer = await hub.as('commerce.officer');
    const result = await officer.query('mutation { updateTask(id: 1, input: { version: 1, name: "x" }) { id } }');
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors![0].message).toContain('业务人员');
    const staff = await hub.as('commerce.staff');
    expect(codes(await staff.query('mutation { approvePlan(id: 1) { id } }'))).toEqual(['FORBIDDEN']);
  });
});

describe('errors reaching a client', () => {
  it('rejects over-deep documents', async () => {
    const staff = await hub.as('commerce.staff');
    const deep = `{ me { department { region { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } }`;
    const result = await staff.query(deep);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toContain('超过上限');
  });

  it('masks an internal failure: no stack, no SQL, a generic Chinese message', async () => {
    const staff = await hub.as('commerce.staff');
    const db = await superuser(hub.databaseUrl);
    await db.query('alter table region rename to region_moved');
    try {
      const result = await staff.query('{ regions { name } }');
      expect(codes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(result.errors![0].message).toBe('服务器内部错误，请稍后重试或联系管理员');
      const text = JSON.stringify(result);
      expect(text).not.toMatch(/stack|region_moved|relation|select|at .*\.ts/i);
    } finally {
      await db.query('alter table region_moved rename to region');
      await db.end();
    }
  });

  it('reports an unknown id as NOT_FOUND and a malformed one as BAD_USER_INPUT', async () => {
    const staff = await hub.as('commerce.staff');
    expect((await staff.query('{ task(id: 424242) { id } }')).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await staff.query('{ task(id: "abc") { id } }')).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});
