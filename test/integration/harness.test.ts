// The harness checked against the real thing: distribution 2.8 registries behind our
// token servers, images pushed and read back with skopeo. If a service cannot start,
// beforeAll throws and every test here fails with the service's output.
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { basicAuth, httpRequest } from '../harness/http.js';
import { decodeJwt } from '../harness/jwt.js';
import { buildImage, type ImageLayout } from '../harness/oci-image.js';
import { ServiceProcess } from '../harness/process.js';
import { SkopeoError, inspectRaw, pushLayout } from '../harness/skopeo.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { sha256Digest as sha256 } from '../harness/oci-layout.js';

let world: World | undefined;
let image: ImageLayout | undefined;

beforeAll(async () => {
  world = await startRegistries();
  image = await buildImage({ attestations: true, name: 'acme/app' });
});

afterAll(async () => {
  await stopWorld(world);
  if (image) await rm(image.layoutDir, { recursive: true, force: true });
});

function w(): World {
  if (!world) throw new Error('registries did not start (see beforeAll error)');
  return world;
}

function img(): ImageLayout {
  if (!image) throw new Error('image was not built (see beforeAll error)');
  return image;
}

describe('registries', () => {
  it.each(['staging', 'production'] as const)('%s challenges GET /v2/ with its own Bearer realm and service', async (which) => {
    const registry = w()[which];
    const res = await httpRequest(`${registry.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${registry.tokenServer.realm}",service="${registry.service}"`);
  });

  it('keeps its content across stop() and start() on the same port', async () => {
    const { staging, creds } = w();
    const ref = `docker://${staging.host}/acme/restart:1`;
    await pushLayout(img(), ref, creds.staging.ci);
    await staging.stop();
    await staging.stop(); // idempotent
    expect(staging.running).toBe(false);
    await expect(httpRequest(`${staging.url}/v2/`)).rejects.toThrow(/ECONNREFUSED/);
    await staging.start();
    expect(staging.running).toBe(true);
    expect(sha256(await inspectRaw(ref, creds.staging.ci))).toBe(img().digest);
  });
});

describe('token server', () => {
  const tokenUrl = (service: string, ...scopes: string[]): string =>
    `${w().production.tokenServer.realm}?service=${encodeURIComponent(service)}${scopes.map((s) => `&scope=${encodeURIComponent(s)}`).join('')}`;

  it('refuses a wrong password with a 401 JSON error', async () => {
    const { production, creds } = w();
    const res = await httpRequest(tokenUrl(production.service, 'repository:acme/app:pull'), {
      headers: { authorization: basicAuth(creds.production.reader.username, 'not-the-password') },
    });
    expect(res.status).toBe(401);
    expect(res.json<{ errors: { code: string }[] }>().errors[0].code).toBe('UNAUTHORIZED');
  });

  it('refuses anonymous requests when anonymous access is not configured', async () => {
    const res = await httpRequest(tokenUrl(w().production.service, 'repository:acme/app:pull'));
    expect(res.status).toBe(401);
  });

  it('grants reader only pull when it asks for pull,push, and records the request without the password', async () => {
    const { production, creds } = w();
    const reader = creds.production.reader;
    const res = await httpRequest(tokenUrl(production.service, 'repository:acme/app:pull,push', 'repository:other/x:pull'), {
      headers: { authorization: basicAuth(reader.username, reader.password) },
    });
    expect(res.status).toBe(200);
    const body = res.json<{ token: string; access_token: string; expires_in: number; issued_at: string }>();
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(300);
    const { header, claims } = decodeJwt(body.token);
    expect(header.alg).toBe('RS256');
    expect(header.x5c).toHaveLength(1);
    expect(claims).toMatchObject({ sub: 'reader', aud: production.service });
    expect(claims.access).toEqual([{ type: 'repository', name: 'acme/app', actions: ['pull'] }]);

    const last = production.tokenServer.requests.at(-1);
    expect(last).toMatchObject({
      user: 'reader',
      status: 200,
      scopes: ['repository:acme/app:pull,push', 'repository:other/x:pull'],
      granted: [{ type: 'repository', name: 'acme/app', actions: ['pull'] }],
    });
    expect(JSON.stringify(production.tokenServer.requests)).not.toContain(reader.password);
  });
});

describe('push and read back', () => {
  it('pushes a multi-arch image with attestations and serves the index byte for byte', async () => {
    const { staging, creds } = w();
    const ref = `docker://${staging.host}/acme/app:1.0.0`;
    await pushLayout(img(), ref, creds.staging.ci);

    const raw = await inspectRaw(ref, creds.staging.ci);
    expect(raw.equals(await readFile(join(img().layoutDir, 'blobs', 'sha256', img().digest.slice(7))))).toBe(true);
    expect(sha256(raw)).toBe(img().digest);

    const index = JSON.parse(raw.toString('utf8')) as {
      manifests: { digest: string; platform: { os: string; architecture: string }; annotations?: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'unknown/unknown',
      'unknown/unknown',
    ]);
    const attested = index.manifests
      .filter((m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
      .map((m) => m.annotations?.['vnd.docker.reference.digest']);
    expect(attested).toEqual(img().manifests.map((m) => m.digest));
  });

  it('resolves every child manifest by digest, unchanged', async () => {
    const { staging, creds } = w();
    const children = [...img().manifests, ...img().attestations];
    expect(children).toHaveLength(4);
    for (const child of children) {
      const raw = await inspectRaw(`docker://${staging.host}/acme/app@${child.digest}`, creds.staging.ci);
      expect(sha256(raw)).toBe(child.digest);
      expect(raw.length).toBe(child.size);
    }
  });

  it('lets publisher push to production but not reader', async () => {
    const { production, creds } = w();
    const denied = pushLayout(img(), `docker://${production.host}/acme/denied:1`, creds.production.reader);
    await expect(denied).rejects.toBeInstanceOf(SkopeoError);
    await expect(denied).rejects.toThrow(/denied|unauthorized/i);
    await expect(denied).rejects.not.toThrow(creds.production.reader.password);
    await expect(inspectRaw(`docker://${production.host}/acme/denied:1`, creds.production.publisher)).rejects.toThrow(
      /manifest unknown|not found|name unknown/i,
    );
    const asked = production.tokenServer.requests.filter((r) => r.user === 'reader' && r.scopes.includes('repository:acme/denied:pull,push'));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((r) => r.granted.every((g) => !g.actions.includes('push')))).toBe(true);

    // Positive control: the same push with push rights works, so the failure above is about rights.
    await pushLayout(img(), `docker://${production.host}/acme/allowed:1`, creds.production.publisher);
    expect(sha256(await inspectRaw(`docker://${production.host}/acme/allowed:1`, creds.production.reader))).toBe(img().digest);
  });
});

describe('OCI layout', () => {
  it('names every blob by its sha256 and lists gzip tar layers whose diff_ids match', async () => {
    const layout = img();
    const dir = join(layout.layoutDir, 'blobs', 'sha256');
    const files = await readdir(dir);
    expect(files.sort()).toEqual(layout.blobs.map((b) => b.digest.slice(7)).sort());
    for (const blob of layout.blobs) {
      const bytes = await readFile(join(dir, blob.digest.slice(7)));
      expect(sha256(bytes)).toBe(blob.digest);
      expect(bytes.length).toBe(blob.size);
    }
    for (const manifest of layout.manifests) {
      const config = JSON.parse((await readFile(join(dir, manifest.configDigest.slice(7)))).toString('utf8')) as {
        rootfs: { diff_ids: string[] };
      };
      const tars = await Promise.all(manifest.layers.map(async (l) => gunzipSync(await readFile(join(dir, l.digest.slice(7))))));
      expect(config.rootfs.diff_ids).toEqual(tars.map(sha256));
      for (const [i, tar] of tars.entries()) {
        expect(tar.subarray(257, 262).toString()).toBe('ustar');
        expect(parseInt(tar.subarray(124, 135).toString(), 8)).toBe(manifest.layers[i].contentSize);
        expect(tar.length % 512).toBe(0);
      }
    }
  });
});

describe('service processes', () => {
  it('fails with an install hint when the binary is missing', async () => {
    await expect(ServiceProcess.start({ name: 'ghost', command: 'ci-actions-no-such-binary', args: [], installHint: 'install it' })).rejects.toThrow(
      'ci-actions-no-such-binary not found on PATH: install it',
    );
  });

  it('fails with the service output when it exits before it is ready', async () => {
    await expect(
      ServiceProcess.start({
        name: 'crasher',
        command: 'sh',
        args: ['-c', 'echo boom-from-service >&2; exit 3'],
        ready: async () => false,
      }),
    ).rejects.toThrow(/crasher exited before it was ready \(exit code 3\)[\s\S]*boom-from-service/);
  });
});
