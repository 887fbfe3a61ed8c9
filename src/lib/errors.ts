import type { CombinedError } from 'urql';

/** What a refused request says to the person: the server's GraphQL message when it sent one, else the transport's. */
export function errorMessage(error: CombinedError): string;
export function errorMessage(error: CombinedError | undefined): string | null;
export function errorMessage(error: CombinedError | undefined): string | null {
  if (!error) return null;
  return error.graphQLErrors[0]?.message ?? error.message;
}

export function errorCode(error: CombinedError): string | undefined {
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
