import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { createHubClient } from '../graphql/client';

const STORAGE_KEY = 'inspection-hub.session';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  mustChangePassword: boolean;
  department: { id: string; name: string; shortName: string };
}

export interface Session {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

interface AuthValue {
  session: Session | null;
  signIn: (session: Session) => void;
  /** Ends the session on the server too (logout), then here; `notice` is shown on the login page. */
  signOut: (notice?: string) => void;
  /** Why the last session ended, when it was not the user's own click. */
  notice: string | null;
}

/** The 三员: accounts that administer the hub and never see business pages. */
export const ADMIN_ROLES = ['ADMIN', 'SECURITY_ADMIN', 'AUDITOR'];
export const isAdministrator = (session: Session | null) => Boolean(session?.user.roles.some((r) => ADMIN_ROLES.includes(r)));

const AuthContext = createContext<AuthValue | null>(null);

function loadSession(): Session | null {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return saved && new Date(saved.expiresAt).getTime() > Date.now() && saved.user.mustChangePassword !== undefined ? saved : null;
  } catch {
    return null;
  }
}

/** Tells the server the session is over; failures do not matter (it ends by idle expiry anyway). */
function logoutOnServer(token: string): void {
  void fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'mutation { logout }' }),
    keepalive: true,
  }).catch(() => {});
}

/** Holds the signed-in session and the urql client that carries its token (HTTP and WebSocket). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);

  const signIn = useCallback((next: Session) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setNotice(null);
    setSession(next);
  }, []);
  const signOut = useCallback((why?: string) => {
    setSession((current) => {
      if (current && !why) logoutOnServer(current.token);
      return null;
    });
    localStorage.removeItem(STORAGE_KEY);
    setNotice(why ?? null);
  }, []);
  // A refused token while signed in (a failed login attempt is not one).
  const current = useRef(session);
  current.current = session;
  const expired = useCallback(() => {
    if (current.current) signOut('登录已失效（已退出、被注销或长时间未操作），请重新登录');
  }, [signOut]);

  // A new client per token: the WebSocket reconnects with the new credentials.
  const { client, dispose } = useMemo(
    () => createHubClient({ getToken: () => session?.token ?? null, onUnauthenticated: expired }),
    [session?.token, expired],
  );
  useEffect(() => dispose, [dispose]);

  const value = useMemo(() => ({ session, signIn, signOut, notice }), [session, signIn, signOut, notice]);
  return (
    <AuthContext.Provider value={value}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
