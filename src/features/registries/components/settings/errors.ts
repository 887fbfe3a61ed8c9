import type { CombinedError } from 'urql';

/** What a refused request says to the person: the server's GraphQL message when there is one. */
export function errorText(error: CombinedError | undefined): string | null {
  if (!error) return null;
  return error.graphQLErrors[0]?.message ?? error.message;
}
