// Who may do what, for the fake token server: pure functions, no I/O.
//
// Scopes follow the Docker token spec: `repository:acme/app:pull,push`; the resource
// type may carry a class (`repository(plugin):name:pull`); names never contain ':'
// in practice but we only split on the first and last colon to be safe.
import type { RegistryAccess } from './jwt.js';

export type Action = 'pull' | 'push' | 'delete' | '*';

export interface Grant {
  /** Repository glob; `*` matches any run of characters, including '/'. */
  repository: string;
  actions: Action[];
}

export interface ParsedScope {
  type: string;
  name: string;
  actions: string[];
}

export function parseScope(scope: string): ParsedScope | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions };
}

export function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}

/**
 * Access to put in a token: for each requested repository scope, the requested actions
 * the grants allow. Resources with nothing allowed are left out, the way Docker Hub
 * answers with an empty access list rather than an error; the registry then says 401.
 */
export function resolveAccess(requested: ParsedScope[], grants: Grant[]): RegistryAccess[] {
  const merged = new Map<string, RegistryAccess>();
  for (const scope of requested) {
    if (!/^repository(\(.*\))?$/.test(scope.type)) continue; // e.g. registry:catalog:* is never granted
    const allowed = new Set<string>();
    for (const grant of grants) {
      if (globMatches(grant.repository, scope.name)) grant.actions.forEach((a) => allowed.add(a));
    }
    const actions = scope.actions.filter((a) => allowed.has('*') || allowed.has(a));
    if (actions.length === 0) continue;
    const key = `${scope.type}\n${scope.name}`;
    const entry = merged.get(key) ?? { type: scope.type, name: scope.name, actions: [] };
    for (const action of actions) if (!entry.actions.includes(action)) entry.actions.push(action);
    merged.set(key, entry);
  }
  return [...merged.values()];
}
