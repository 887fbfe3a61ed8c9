import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type MaskError } from 'graphql-yoga';
import { databaseInputMessage } from '../db/errors.js';

export type ErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHENTICATED' | 'TOO_MANY_REQUESTS';

/** An error meant for the caller: its message says what to fix, `extensions.code` says what kind it is. */
export function userError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** yoga's error masking, with the database's refusals of input told as BAD_USER_INPUT instead of "Unexpected error.". */
export const maskError: MaskError = (error, message, isDev) => {
  const input = databaseInputMessage(error);
  if (input === undefined) return yogaMaskError(error, message, isDev);
  return new GraphQLError(input, {
    ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
    extensions: { code: 'BAD_USER_INPUT' },
  });
};
