import { useParams, useSearchParams, type Params } from '@/lib/router';
import { useQuery, type AnyVariables, type Client, type TypedDocumentNode } from 'urql';

/** What the router needs of a screen's page query: to send it for an address. */
export interface StartableQuery {
  /**
   * Sends the page query for an address; the screen's `useRouteQuery` then joins the request in
   * flight or reads its answer from the cache (same document, same variables: the same operation).
   */
  start(client: Client, params: Readonly<Params>, search: URLSearchParams): void;
}

/**
 * A screen's page query and how its variables follow from the address. It lives in its own small
 * module beside the screen, so the router can start it at navigation, together with the screen's
 * code, instead of after that code has arrived and rendered.
 */
export interface RouteQuery<Data, Variables extends AnyVariables> extends StartableQuery {
  document: TypedDocumentNode<Data, Variables>;
  variables: (params: Readonly<Params>, search: URLSearchParams) => Variables;
}

export function routeQuery<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: (params: Readonly<Params>, search: URLSearchParams) => Variables,
): RouteQuery<Data, Variables> {
  return {
    document,
    variables,
    start: (client, params, search) => {
      // The screen shows the outcome, an error included, when it asks for the same operation.
      client
        .query(document, variables(params, search))
        .toPromise()
        .catch(() => undefined);
    },
  };
}

/** The screen's side: its page query with the variables of the current address. */
export function useRouteQuery<Data, Variables extends AnyVariables>(query: RouteQuery<Data, Variables>) {
  const params = useParams();
  const [search] = useSearchParams();
  return useQuery<Data, Variables>({ query: query.document, variables: query.variables(params, search) });
}
