import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

/**
 * TanStack Query serves the non-GraphQL HTTP calls (sign-in, sign-out, files). It is provided by the
 * screens that use it rather than at the root, so the first page does not load it.
 */
export const queryClient = new QueryClient();

export function WithQueryClient({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
