import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { createGraphQLClient } from '@/lib/urql';

const ResetSession = createContext<() => void>(() => undefined);

/** Signing in or out swaps in a fresh GraphQL client, so nothing cached for one person shows for another. */
export function useResetSession(): () => void {
  return useContext(ResetSession);
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [client, setClient] = useState(createGraphQLClient);
  const reset = useCallback(() => setClient(createGraphQLClient()), []);
  return (
    <ResetSession.Provider value={reset}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </ResetSession.Provider>
  );
}
