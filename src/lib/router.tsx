/**
 * The app's router: browser history, routes by path, links, and the URL's params and search. It does
 * what the app asks of a router and no more, in about a tenth of the bytes of a general one, so the
 * first page loads less code (docs/decisions/0009-an-in-house-router.md).
 *
 * Routes are matched in the order they are written, first match wins: list the more specific first.
 * Paths are absolute; `:name` takes one segment, `:name?` one or none, `*` the rest.
 */
import {
  Children,
  createContext,
  isValidElement,
  startTransition,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ComponentProps,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from 'react';

export type Params = Record<string, string | undefined>;

export interface Location {
  pathname: string;
  search: string;
  hash: string;
}

export interface NavigateOptions {
  replace?: boolean;
}

export type NavigateFunction = (to: string, options?: NavigateOptions) => void;

interface RouterState {
  location: Location;
  navigate: NavigateFunction;
}

const RouterContext = createContext<RouterState | null>(null);

interface RouteState {
  params: Readonly<Params>;
  /** What `<Outlet />` renders: the matched child of the route rendering it. */
  outlet: ReactNode;
}

const RouteContext = createContext<RouteState>({ params: {}, outlet: null });

function currentLocation(): Location {
  const { pathname, search, hash } = window.location;
  return { pathname, search, hash };
}

/** Keeps the app in step with the address bar: links and `navigate` push or replace, back and forward pop. */
export function BrowserRouter({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);
  // A transition, so the page on screen stays until the next one's code and data are ready, instead of
  // a loading fallback flashing in between.
  const follow = useCallback(() => startTransition(() => setLocation(currentLocation())), []);
  useEffect(() => {
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, [follow]);
  const navigate = useCallback<NavigateFunction>(
    (to, options = {}) => {
      const url = new URL(to, window.location.href);
      if (options.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
      follow();
    },
    [follow],
  );
  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext value={value}>{children}</RouterContext>;
}

function useRouter(): RouterState {
  const router = use(RouterContext);
  if (!router) throw new Error('Router hooks must be used inside <BrowserRouter>');
  return router;
}

export function useLocation(): Location {
  return useRouter().location;
}

export function useNavigate(): NavigateFunction {
  return useRouter().navigate;
}

/** The params of the matched route (decoded), for every element of the match. */
export function useParams(): Readonly<Params> {
  return use(RouteContext).params;
}

type SearchInit = URLSearchParams | Record<string, string> | string;
export type SetSearchParams = (next: SearchInit | ((current: URLSearchParams) => SearchInit), options?: NavigateOptions) => void;

/** The address's query string, and a setter that navigates to the same path with a new one. */
export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const { location, navigate } = useRouter();
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);
  const set = useCallback<SetSearchParams>(
    (next, options) => {
      const init = typeof next === 'function' ? next(new URLSearchParams(window.location.search)) : next;
      navigate(`?${new URLSearchParams(init).toString()}`, options);
    },
    [navigate],
  );
  return [params, set];
}

const compiled = new Map<string, { regex: RegExp; names: string[] }>();

function compile(pattern: string): { regex: RegExp; names: string[] } {
  let found = compiled.get(pattern);
  if (found) return found;
  const names: string[] = [];
  let source = '';
  for (const segment of pattern.split('/').filter(Boolean)) {
    if (segment === '*') {
      names.push('*');
      source += '(?:/(.*))?';
    } else if (segment.startsWith(':')) {
      const optional = segment.endsWith('?');
      names.push(segment.slice(1, optional ? -1 : undefined));
      source += optional ? '(?:/([^/]+))?' : '/([^/]+)';
    } else {
      source += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    }
  }
  // Paths match whatever their case and a trailing slash, as servers and users type them.
  found = { regex: new RegExp(`^${source}/?$`, 'i'), names };
  compiled.set(pattern, found);
  return found;
}

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A malformed escape stays as typed; the screen then reports the name as not found.
    return value;
  }
}

/** The params of `pathname` if it matches `pattern`, else null. */
export function matchPath(pattern: string, pathname: string): { params: Params } | null {
  const { regex, names } = compile(pattern);
  const match = regex.exec(pathname);
  if (!match) return null;
  const params: Params = {};
  names.forEach((name, i) => {
    const value = match[i + 1];
    params[name] = value === undefined ? undefined : decodeSegment(value);
  });
  return { params };
}

interface RouteProps {
  /** Absolute; without one the route is a layout around its children. */
  path?: string;
  /** Renders at its parent layout's own address. */
  index?: boolean;
  element: ReactNode;
  children?: ReactNode;
}

/** Declares a route inside `<Routes>`; `<Routes>` reads it and renders its element when it matches. */
export function Route(_props: RouteProps): null {
  return null;
}

/** The chain of elements from the outermost layout to the matched route, with the route's params. */
function match(children: ReactNode, pathname: string): { elements: ReactNode[]; params: Params } | null {
  for (const child of Children.toArray(children)) {
    if (!isValidElement(child)) continue;
    const { path, index, element, children: nested } = (child as ReactElement<RouteProps>).props;
    if (path === undefined && !index) {
      const inner = match(nested, pathname);
      if (inner) return { elements: [element, ...inner.elements], params: inner.params };
      continue;
    }
    const found = index ? (pathname === '/' ? { params: {} } : null) : matchPath(path ?? '', pathname);
    if (found) return { elements: [element], params: found.params };
  }
  return null;
}

/** Renders the first `<Route>` among its children that matches the address, inside its layouts. */
export function Routes({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const found = match(children, pathname);
  if (!found) return null;
  return found.elements.reduceRight<ReactNode>(
    (outlet, element) => <RouteContext value={{ params: found.params, outlet }}>{element}</RouteContext>,
    null,
  );
}

/** Where a layout route renders its matched child. */
export function Outlet() {
  return use(RouteContext).outlet;
}

/** Goes to `to` once rendered (a redirect). */
export function Navigate({ to, replace }: { to: string } & NavigateOptions) {
  const navigate = useNavigate();
  useEffect(() => navigate(to, { replace }), [navigate, to, replace]);
  return null;
}

type LinkProps = Omit<ComponentProps<'a'>, 'href'> & { to: string } & NavigateOptions;

/** An anchor that navigates within the app on a plain click, and stays a link for a new tab or window. */
export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.altKey || event.ctrlKey || event.shiftKey;
    if (event.defaultPrevented || event.button !== 0 || modified || (rest.target && rest.target !== '_self')) return;
    event.preventDefault();
    navigate(to, { replace });
  };
  return <a {...rest} href={to} onClick={follow} />;
}

/** A link marked as the current page (`aria-current`, class `active`) while the address is at or under it. */
export function NavLink({ className, ...rest }: LinkProps) {
  const { pathname } = useLocation();
  const target = rest.to.replace(/\/+$/, '').toLowerCase();
  const here = pathname.replace(/\/+$/, '').toLowerCase();
  const active = here === target || here.startsWith(`${target}/`);
  const classes = [className, active ? 'active' : undefined].filter(Boolean).join(' ') || undefined;
  return <Link {...rest} className={classes} aria-current={active ? 'page' : undefined} />;
}
