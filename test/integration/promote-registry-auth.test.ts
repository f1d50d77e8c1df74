// promote-image to two production registries with credentials of their own, through the
// action's entry: one registry's from the registry-auth input, the other's from a Docker
// config a login step would have left (auths entry, identity token, credential helper).
// Each registry is a real distribution registry behind its own token server; what landed
// is read back with skopeo.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run as runPromoteAction } from '../../actions/promote-image/main.js';
import type { ImageLayout } from '../harness/oci-image.js';
import { startRegistry, type Registry } from '../harness/registry.js';
import { inspectRaw, type Credentials } from '../harness/skopeo.js';
import { stageImage } from '../harness/staging.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';
import { expectNoSecretShown } from '../support/secrets.js';

/** The Quay stand-in's robot: a password, and the identity token a `docker login` to it could have stored. */
const robot = { username: 'acme+robot', password: `robot-${randomBytes(12).toString('hex')}`, identityToken: `idt-${randomBytes(12).toString('hex')}` };

let world: World;
let quay: Registry;
let image: ImageLayout;
beforeAll(async () => {
  world = await startRegistries();
  quay = await startRegistry({
    name: 'quay',
    service: 'quay.local',
    users: {
      [robot.username]: { password: robot.password, identityToken: robot.identityToken, grants: [{ repository: 'acme/*', actions: ['pull', 'push'] }] },
    },
  });
  image = await stageImage(world.staging.host, 'acme/app', 'build-1', world.creds.staging.ci, { layerSizes: [200_000] });
}, 90_000);
afterAll(async () => {
  await quay?.destroy();
  await stopWorld(world);
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const digestOf = (raw: Buffer) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;

/** A DOCKER_CONFIG directory holding `config`, and optionally a credential helper program beside it. */
function dockerConfig(config: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'docker-config-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

const registryAuth = (host: string, c: Credentials) => `- registry: ${host}\n  username: ${c.username}\n  password: "${c.password}"\n`;

/** The action promoting build-1 to both registries under `tag`, with DOCKER_CONFIG (and PATH) as given. */
async function promoteToBoth(tag: string, inputs: Record<string, string>, env: Record<string, string>) {
  const saved = { DOCKER_CONFIG: process.env.DOCKER_CONFIG, PATH: process.env.PATH };
  Object.assign(process.env, env);
  try {
    return await runActionInProcess('promote-image', runPromoteAction, {
      source: `${world.staging.host}/acme/app@${image.digest}`,
      destination: `${world.production.host}/acme/app:${tag}\n${quay.host}/acme/app:${tag}`,
      'source-username': world.creds.staging.ci.username,
      'source-password': world.creds.staging.ci.password,
      ...inputs,
    });
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const secrets = () => [world.creds.staging.ci.password, world.creds.production.publisher.password, robot.password, robot.identityToken, 'wrong-s3cret'];

/** Both registries hold the staged image under `tag`, read back with skopeo with credentials of their own. */
async function expectOnBoth(tag: string): Promise<void> {
  const onProduction = await inspectRaw(`docker://${world.production.host}/acme/app:${tag}`, world.creds.production.reader);
  const onQuay = await inspectRaw(`docker://${quay.host}/acme/app:${tag}`, robot);
  expect(digestOf(onProduction)).toBe(image.digest);
  expect(digestOf(onQuay)).toBe(image.digest);
}

describe('promote-image with credentials per registry', () => {
  test('production from registry-auth, Quay from the auths entry of DOCKER_CONFIG/config.json', async () => {
    const config = dockerConfig({ auths: { [quay.host]: { auth: b64(`${robot.username}:${robot.password}`) } } });
    const run = await promoteToBoth(
      '1.0.0',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config },
    );
    expect(failureMessage(run)).toBe('');
    expect(run.exitCode).toBe(0);
    await expectOnBoth('1.0.0');
    expect(run.stdout).toContain(`${world.production.host}: credentials from input "registry-auth"`);
    expect(run.stdout).toContain(`${quay.host}: credentials from ${config}/config.json (auths "${quay.host}")`);
    expect(quay.tokenServer.requests.some((r) => r.user === robot.username && r.method === 'GET')).toBe(true);
    expectNoSecretShown(run, secrets());
  });

  test("an identity token in the config is exchanged at Quay's token service (OAuth2 refresh_token grant)", async () => {
    quay.tokenServer.clearRequests();
    const config = dockerConfig({ auths: { [`https://${quay.host}`]: { auth: b64('<token>:'), identitytoken: robot.identityToken } } });
    const run = await promoteToBoth(
      '1.0.1',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config },
    );
    expect(failureMessage(run)).toBe('');
    expect(quay.tokenServer.requests.filter((r) => r.status === 200).map((r) => [r.method, r.user])).toEqual([['POST', robot.username]]);
    await expectOnBoth('1.0.1');
    expectNoSecretShown(run, secrets());
  });

  test('a credential helper named by credHelpers is run for Quay (docker-credential-<name> get)', async () => {
    const config = dockerConfig({ credHelpers: { [quay.host]: 'citest' } });
    const helper = path.join(config, 'docker-credential-citest');
    // Answers only for the server it is asked about, as a real helper does.
    writeFileSync(
      helper,
      `#!/bin/sh\n[ "$1" = get ] || exit 2\nread server\n[ "$server" = "${quay.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\n` +
        `printf '{"ServerURL":"%s","Username":"${robot.username}","Secret":"${robot.password}"}' "$server"\n`,
    );
    chmodSync(helper, 0o755);
    const run = await promoteToBoth(
      '1.0.2',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config, PATH: `${config}:${process.env.PATH}` },
    );
    expect(failureMessage(run)).toBe('');
    await expectOnBoth('1.0.2');
    expect(run.stdout).toContain(`${quay.host}: credentials from docker-credential-citest (credHelpers in ${config}/config.json)`);
    expectNoSecretShown(run, secrets());
  });

  test('a helper that is not installed warns, naming it, and the refusal says no credentials were given', async () => {
    const config = dockerConfig({ credHelpers: { [quay.host]: 'absent' } });
    const run = await promoteToBoth(
      '1.0.3',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config },
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::warning::${quay.host}: docker-credential-absent (credHelpers in ${config}/config.json) gave no credentials: docker-credential-absent is not installed (not on PATH)`,
    );
    expect(failureMessage(run)).toContain(`no credentials were given for ${quay.host}: name it in the input "registry-auth", or log in to it`);
  });

  test('wrong credentials in registry-auth fail naming the registry and the input, never the secret', async () => {
    const config = dockerConfig({ auths: { [quay.host]: { auth: b64(`${robot.username}:${robot.password}`) } } });
    const wrong = { username: world.creds.production.publisher.username, password: 'wrong-s3cret' };
    const run = await promoteToBoth('1.0.4', { 'registry-auth': registryAuth(world.production.host, wrong) }, { DOCKER_CONFIG: config });
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toMatch(
      new RegExp(
        `^input "registry-auth": ${world.production.host.replace(/\./g, '\\.')}: the token service .* rejected the credentials of user "publisher" \\(HTTP 401`,
      ),
    );
    expectNoSecretShown(run, secrets());
  });

  test('wrong credentials in the Docker config fail naming the registry and the file, never the secret', async () => {
    const config = dockerConfig({ auths: { [quay.host]: { auth: b64(`${robot.username}:wrong-s3cret`) } } });
    const run = await promoteToBoth(
      '1.0.5',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config },
    );
    expect(run.exitCode).toBe(1);
    const message = failureMessage(run);
    expect(message).toContain(`${quay.host}: the token service`);
    expect(message).toContain(`rejected the credentials of user "${robot.username}"`);
    expect(message).toContain(`(credentials from ${config}/config.json (auths "${quay.host}"))`);
    expectNoSecretShown(run, secrets());
  });

  test('a malformed Docker config fails naming the file and what was expected', async () => {
    const config = dockerConfig({ auths: { [quay.host]: { auth: 'not base64!' } } });
    const run = await promoteToBoth(
      '1.0.6',
      { 'registry-auth': registryAuth(world.production.host, world.creds.production.publisher) },
      { DOCKER_CONFIG: config },
    );
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toBe(
      `Docker config ${config}/config.json: "auths"."${quay.host}"."auth" is not base64 of user:password (as docker login writes it)`,
    );
  });
});
