import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { createHubClient } from '../graphql/client';

const STORAGE_KEY = 'inspection-hub.session';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
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
  signOut: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

function loadSession(): Session | null {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return saved && new Date(saved.expiresAt).getTime() > Date.now() ? saved : null;
  } catch {
    return null;
  }
}

/** Holds the signed-in session and the urql client that carries its token (HTTP and WebSocket). */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(loadSession);

  const signIn = useCallback((next: Session) => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  // A new client per token: the WebSocket reconnects with the new credentials.
  const { client, dispose } = useMemo(
    () => createHubClient({ getToken: () => session?.token ?? null, onUnauthenticated: signOut }),
    [session?.token, signOut],
  );
  useEffect(() => dispose, [dispose]);

  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
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
