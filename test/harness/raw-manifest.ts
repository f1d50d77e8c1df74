// A manifest PUT straight through the registry API, token fetched from the registry's own
// token server: for fixtures skopeo cannot write (skopeo 1.9 refuses an index that lists
// an OCI 1.1 artifact), without going through the code under test.
import { basicAuth, httpRequest } from './http.js';
import type { Registry } from './registry.js';
import type { Credentials } from './skopeo.js';

export async function putRawManifest(
  registry: Registry,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
  creds: Credentials,
): Promise<void> {
  const scope = `repository:${repository}:pull,push`;
  const tokenUrl = `${registry.tokenServer.realm}?service=${encodeURIComponent(registry.service)}&scope=${encodeURIComponent(scope)}`;
  const tokenResponse = await httpRequest(tokenUrl, { headers: { Authorization: basicAuth(creds.username, creds.password) } });
  if (tokenResponse.status !== 200) throw new Error(`token for ${scope}: HTTP ${tokenResponse.status}`);
  const { token } = tokenResponse.json<{ token: string }>();
  const res = await httpRequest(`${registry.url}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': mediaType },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`PUT ${repository}:${reference}: HTTP ${res.status} ${res.body.toString()}`);
}
