import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import {
  ApiError,
  get,
  type Organization,
  type SessionInfo,
  setCsrfToken,
  setOnUnauthenticated,
} from './api';

interface SessionState {
  session: SessionInfo | null;
  loading: boolean;
  refresh(): Promise<void>;
  setSession(s: SessionInfo | null): void;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await get<SessionInfo>('/auth/session');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
  const session = q.data ?? null;
  useEffect(() => setCsrfToken(session?.csrfToken ?? null), [session]);
  useEffect(() => {
    setOnUnauthenticated(() => qc.setQueryData(['session'], null));
  }, [qc]);
  const value: SessionState = {
    session,
    loading: q.isLoading,
    refresh: async () => {
      await qc.invalidateQueries({ queryKey: ['session'] });
    },
    setSession: (s) => {
      setCsrfToken(s?.csrfToken ?? null);
      qc.setQueryData(['session'], s);
      // Nothing one user loaded may be shown to the next one in this tab.
      if (!s) qc.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

const LAST_ORG = 'citywall.lastOrg';
export function rememberOrg(id: string) {
  localStorage.setItem(LAST_ORG, id);
}
export function preferredOrg(orgs: Organization[]): Organization | undefined {
  const last = localStorage.getItem(LAST_ORG);
  return orgs.find((o) => o.id === last) ?? orgs.find((o) => o.kind === 'city') ?? orgs[0];
}

export function useOrg(orgId: string | undefined): Organization | undefined {
  const { session } = useSession();
  return session?.organizations.find((o) => o.id === orgId);
}
