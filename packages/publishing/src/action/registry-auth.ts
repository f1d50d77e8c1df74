// Credentials for several registries in one input, in docker/login-action's `registry-auth`
// form, so a workflow that logs in with it can pass the same block here:
//
//   - registry: quay.io           (omitted: docker.io)
//     username: acme+robot
//     password: <secret>
//
// Every scalar is read as a string (YAML's failsafe schema), so a password such as 0123 or
// `yes` arrives as written. A problem names the entry and line, never a value.
//
// The YAML parser is loaded only when the input is given: most runs leave it empty, and
// loaded at start it cost promote-image 2 MB of memory and some 5 ms of every start.
import { DomainError } from '../errors.js';
import type { RegistryCredentials } from '../oci/auth.js';
import { canonicalRegistry, DOCKER_HUB } from '../oci/reference.js';
import { addBasicCredentials, addSecret } from '../secrets.js';

const KEYS = new Set(['registry', 'username', 'password']);
const FORM = 'expected a YAML list of {registry, username, password} entries, as docker/login-action takes it';

/** Credentials by canonical registry; every password masked before anything can print it. */
export async function parseRegistryAuth(text: string): Promise<Map<string, RegistryCredentials>> {
  const found = new Map<string, RegistryCredentials>();
  if (!text.trim()) return found;
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    // yaml's messages quote the offending line, which may hold a password: position and code only.
    const { code, pos } = doc.errors[0];
    throw new DomainError(`is not valid YAML (${code} at line ${lines.linePos(pos[0]).line}); ${FORM}`);
  }
  const list = doc.contents;
  if (!isSeq(list)) throw new DomainError(`is not a list; ${FORM}`);
  const problems: string[] = [];
  list.items.forEach((item, index) => {
    const line = lines.linePos(isMap(item) || isScalar(item) ? (item.range?.[0] ?? 0) : 0).line;
    const where = `entry ${index + 1} (line ${line})`;
    if (!isMap(item)) return void problems.push(`${where} is not a mapping of registry, username and password`);
    const values: Record<string, string> = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!KEYS.has(key)) return void problems.push(`${where} has "${key}"; only registry, username and password are read`);
      if (!isScalar(pair.value)) return void problems.push(`${where}: ${key} is not a plain value`);
      values[key] = typeof pair.value.value === 'string' ? pair.value.value.trim() : '';
    }
    const { username = '', password = '' } = values;
    addSecret(password);
    if (username && password) addBasicCredentials(username, password);
    const registry = canonicalRegistry(values.registry?.replace(/^https?:\/\//, '').replace(/\/.*$/, '') || DOCKER_HUB);
    if (!username) return void problems.push(`${where} (${registry}) has no username`);
    if (!password) return void problems.push(`${where} (${registry}) has no password (a secret that is not defined arrives empty)`);
    if (found.has(registry)) return void problems.push(`${where} names ${registry} again; give each registry once`);
    found.set(registry, { username, password });
  });
  if (problems.length > 0) throw new DomainError(problems.join('; '));
  return found;
}
