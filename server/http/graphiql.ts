import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { CSRF_HEADER } from './authenticate.js';

/** GraphiQL sends the session cookie and the CSRF header, as the app does, so it works signed in. */
export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'Registry GraphQL',
  credentials: 'same-origin',
  method: 'POST',
  additionalHeaders: { [CSRF_HEADER]: '1' },
};

export interface GraphiQLPage {
  html: string;
  /** Its own policy: the page is one inline script (allowed by its hash) that starts blob: workers. */
  csp: string;
}

let page: GraphiQLPage | undefined;

/** The page is the same for every request, so it is rendered and hashed once (it is about 9 MB). */
export function graphiqlPage(): GraphiQLPage {
  if (page) return page;
  const html = renderGraphiQL(GRAPHIQL_OPTIONS);
  const start = html.indexOf('<script>') + '<script>'.length;
  const end = html.lastIndexOf('</script>');
  if (start < '<script>'.length || end < start) throw new Error('GraphiQL page without its inline script');
  const hash = createHash('sha256').update(html.slice(start, end)).digest('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  page = { html, csp };
  return page;
}
