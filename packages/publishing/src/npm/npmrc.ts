// The npm configuration the publish runs with: a file of its own outside the repository
// (passed with --userconfig), so the token is never written into the checkout, cannot be
// committed or packed by accident, and disappears with the step's temporary directory.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface NpmRegistry {
  /** Registry URL, always ending in `/`. */
  url: string;
  /** `@acme`, or '' for unscoped packages. */
  scope: string;
  /** '' for trusted publishing: npm exchanges the job's OIDC token for one when it publishes. */
  token: string;
}

/** A registry URL as npm compares them: with its trailing `/`. */
export function normalizeRegistryUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The key npm looks a registry's token up under: `//host[:port]/path/` (npm calls it the "nerf dart"). */
export function registryAuthKey(registryUrl: string): string {
  const url = new URL(normalizeRegistryUrl(registryUrl));
  return `//${url.host}${url.pathname}`;
}

export function npmrcText(registry: NpmRegistry): string {
  const lines = [`registry=${registry.url}`];
  // No token line for trusted publishing: npm configures the token it gets from the OIDC exchange itself.
  if (registry.token) lines.push(`${registryAuthKey(registry.url)}:_authToken=${registry.token}`);
  // Scoped packages go to the scope's registry even where a project .npmrc names another one.
  if (registry.scope) lines.push(`${registry.scope}:registry=${registry.url}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the npmrc into `dir` (readable by this user only) and returns its path. */
export async function writeNpmrc(dir: string, registry: NpmRegistry): Promise<string> {
  const file = path.join(dir, 'npmrc');
  await writeFile(file, npmrcText(registry), { mode: 0o600 });
  return file;
}
