import type { Child } from './dom';

/** What a view gets: the path's parameters and query, and whether it is still the current render. */
export interface ViewContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** False once the shopper navigated elsewhere: late answers must not overwrite the new page. */
  current(): boolean;
}

export type View = (ctx: ViewContext) => Promise<Child> | Child;

interface Route {
  pattern: RegExp;
  keys: string[];
  view: View;
}

const routes: Route[] = [];
let render: (view: View, ctx: ViewContext) => void = () => undefined;
let generation = 0;

export function route(path: string, view: View): void {
  const keys: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}/?$`);
  routes.push({ pattern, keys, view });
}

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  dispatch();
}

/** Re-renders the current page (after an action changed what it shows). */
export const refresh = (): void => dispatch();

export function startRouter(onRender: (view: View, ctx: ViewContext) => void, notFound: View): void {
  render = onRender;
  routes.push({ pattern: /.*/, keys: [], view: notFound });
  window.addEventListener('popstate', dispatch);
  document.addEventListener('click', (e) => {
    const a = (e.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href') ?? '/');
  });
  dispatch();
}

function dispatch(): void {
  const mine = ++generation;
  const { pathname, search } = window.location;
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
    render(r.view, { params, query: new URLSearchParams(search), current: () => mine === generation });
    return;
  }
}
