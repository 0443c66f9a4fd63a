/**
 * API Gateway HTTP API route keys ("GET /p/{token}", "ANY /staff/{proxy+}") and how a request picks
 * one: the most specific route wins, as API Gateway does: literal segments before `{param}` before a
 * greedy `{proxy+}`, and a route with the request's method before `ANY`.
 */
export interface ApiRoute<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly target: T;
}

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface RouteMatch<T> {
  readonly route: ApiRoute<T>;
  readonly pathParameters: Record<string, string>;
}

export class InvalidRouteKeyError extends Error {
  override readonly name = 'InvalidRouteKeyError';
}

export function parseRouteKey<T>(routeKey: string, target: T): ApiRoute<T> {
  const match = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/\S*)$/.exec(routeKey);
  if (match === null) throw new InvalidRouteKeyError(`route "${routeKey}" is not "METHOD /path" in API Gateway syntax`);
  const [, method, path] = match as unknown as [string, string, string];
  const raw = path
    .split('/')
    .slice(1)
    .filter((part, index, all) => part !== '' || index < all.length - 1);
  const segments = raw.map((part, index): Segment => {
    const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(part);
    if (greedy !== null) {
      if (index !== raw.length - 1)
        throw new InvalidRouteKeyError(`route "${routeKey}": a greedy {${greedy[1]}+} must be the last segment`);
      return { kind: 'greedy', name: greedy[1] as string };
    }
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
    if (param !== null) return { kind: 'param', name: param[1] as string };
    if (part.includes('{') || part.includes('}'))
      throw new InvalidRouteKeyError(`route "${routeKey}": a path variable must be a whole segment`);
    return { kind: 'literal', value: part };
  });
  return { routeKey, method, segments, target };
}

export function matchRoute<T>(
  routes: readonly ApiRoute<T>[],
  method: string,
  rawPath: string,
): RouteMatch<T> | undefined {
  const parts = rawPath === '/' ? [] : rawPath.split('/').slice(1);
  const candidates: { match: RouteMatch<T>; rank: number[] }[] = [];
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    const pathParameters = matchSegments(route.segments, parts);
    if (pathParameters === undefined) continue;
    const rank = route.segments.map((s) => (s.kind === 'literal' ? 0 : s.kind === 'param' ? 1 : 2));
    rank.push(route.method === 'ANY' ? 1 : 0);
    candidates.push({ match: { route, pathParameters }, rank });
  }
  candidates.sort((a, b) => compareRanks(a.rank, b.rank));
  return candidates[0]?.match;
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      parameters[segment.name] = decode(rest.join('/'));
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decode(part) !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      parameters[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

// more specific first: segment by segment (a greedy segment ranks below anything at its position), then
// the method, which is the last entry of each rank
function compareRanks(a: number[], b: number[]): number {
  const segmentsA = a.slice(0, -1);
  const segmentsB = b.slice(0, -1);
  for (let i = 0; i < Math.min(segmentsA.length, segmentsB.length); i += 1) {
    const difference = (segmentsA[i] as number) - (segmentsB[i] as number);
    if (difference !== 0) return difference;
  }
  return (a.at(-1) as number) - (b.at(-1) as number);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
