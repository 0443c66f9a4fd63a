/**
 * Where sign-in may send a person back to: only our own pages, as a path. Anything else (another
 * host, `//host`, `/\host`, a scheme, an encoded slash or backslash that a browser would read as a
 * host, control characters) falls back to the portal's home: no open redirect.
 */
export const portalHome = '/portal';

const ownPaths = [/^\/c\/[A-Za-z0-9_-]{43}$/, /^\/portal(\/[a-z0-9-]+)*$/];

export function safeReturnPath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || raw.length > 300) return portalHome;
  const [path, query, ...rest] = raw.split('?');
  if (path === undefined || rest.length > 0) return portalHome;
  if (!ownPaths.some((pattern) => pattern.test(path))) return portalHome;
  // `?calendar` is the one query our pages read
  if (query !== undefined && query !== 'calendar') return portalHome;
  return raw;
}
