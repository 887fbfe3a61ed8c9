import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider, type Client } from 'urql';
import { createGraphQLClient } from '@/lib/urql';

const ResetSession = createContext<() => void>(() => undefined);

/** Signing in or out swaps in a fresh GraphQL client, so nothing cached for one person shows for another. */
export function useResetSession(): () => void {
  return useContext(ResetSession);
}

/** `client` is the first GraphQL client (main.tsx starts the first page's queries on it before rendering). */
export function AppProviders({ children, client: first }: { children: ReactNode; client?: Client }) {
  const [client, setClient] = useState(() => first ?? createGraphQLClient());
  const reset = useCallback(() => setClient(createGraphQLClient()), []);
  return (
    <ResetSession.Provider value={reset}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </ResetSession.Provider>
  );
}
