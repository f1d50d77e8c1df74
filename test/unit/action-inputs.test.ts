// Every action's inputs as the runner passes them (INPUT_* variables, action.yml's defaults for
// the rest): what they parse into, what is refused naming the input, and which input a domain
// error from the core names when that action reports it. cleanup-staging's retention inputs,
// publish-clients' npm authentication and generate-version's raw values have files of their own.
import { readCleanupInputs, cleanupInputFor } from '../../actions/cleanup-staging/inputs.js';
import { parseVersionInputs, readVersionInputs, versionInputFor } from '../../actions/generate-version/inputs.js';
import { loadConfigInputFor, readLoadConfigInputs, DEFAULT_CONFIG_FILE } from '../../actions/load-config/inputs.js';
import { promoteInputFor, readDescriptionInputs, readPromoteInputs, type PromoteInputs } from '../../actions/promote-image/inputs.js';
import { credentialInputSources } from '../../actions/promote-image/credentials.js';
import { publishInputFor, readPublishInputs } from '../../actions/publish-clients/inputs.js';
import { attributeToInput, InputError, type InputFor } from '@ci-actions/publishing/action/index.js';
import { DomainError, type Subject } from '@ci-actions/publishing/errors.js';
import { NotFoundError } from '@ci-actions/publishing/github/errors.js';
import { statusError } from '@ci-actions/publishing/http/check-response.js';
import { DEFAULT_RETRY, withRetry } from '@ci-actions/publishing/http/retry.js';
import { manifestProblems } from '@ci-actions/publishing/npm/manifest.js';
import { NpmReleaseError } from '@ci-actions/publishing/npm/release.js';
import { computeVersion, releaseTags } from '@ci-actions/publishing/version/index.js';
import { AuthenticationError, PermissionError } from '@ci-actions/publishing/oci/errors.js';
import { refusal, refusalOf, withInputs } from '../support/action-inputs.js';
import { cleanup, DIGEST, promote, publishMaven, publishNpm } from '../support/minimal-inputs.js';
import { HEAD_SHA, MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const OTHER: Subject[] = [
  { kind: 'credentials', service: 'central-portal', address: 'https://central.sonatype.com' },
  { kind: 'image', name: 'app' },
];

/** What `work` threw. */
function captured(work: () => unknown): unknown {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** withRetry's failure when a registry asks for 120 s and 5 s are allowed. */
async function refusedWait(): Promise<unknown> {
  const asked = statusError('GET', 'https://ghcr.io/v2/', 429, { 'retry-after': '120' }, '');
  return withRetry(
    'registry ping',
    async () => {
      throw asked;
    },
    { policy: { ...DEFAULT_RETRY, maxRetryWaitMs: 5000 } },
  ).catch((err: unknown) => err);
}

/** The message `err` has once the action attributes it. */
function reported(err: unknown, inputFor: InputFor): string {
  return (attributeToInput(err, inputFor) as Error).message;
}

describe('attributeToInput', () => {
  const inputFor: InputFor = (s) => (s.kind === 'image' ? 'image' : undefined);

  test('a domain error about something an input gave becomes an InputError naming it, the domain error its cause', () => {
    const err = new DomainError('no image named "x"', { subject: { kind: 'image', name: 'x' } });
    const named = attributeToInput(err, inputFor);
    expect(named).toBeInstanceOf(InputError);
    expect(named).toMatchObject({ input: 'image', message: 'input "image": no image named "x"', cause: err });
  });

  test.each<[string, unknown]>([
    ['a domain error about something no input gave', new DomainError('x', { subject: { kind: 'signing-key' } })],
    ['a domain error without a subject', new DomainError('Central rejected the deployment')],
    ['an input error already', new InputError('image', 'is empty')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'digest')")],
  ])('%s goes on as it is', (_name, err) => {
    expect(attributeToInput(err, inputFor)).toBe(err);
  });
});

describe('load-config', () => {
  const read = (inputs: Record<string, string>) =>
    withInputs('load-config', inputs, readLoadConfigInputs, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' });

  test('defaults: the repository configuration, the first image, no gate', () => {
    expect(read({})).toEqual({ configFile: DEFAULT_CONFIG_FILE, image: '' });
  });

  test("stage-gate: true reads the run's facts, the event and ref from the runner", () => {
    expect(read({ 'stage-gate': 'true', 'tests-result': 'success', 'staged-images': `ghcr.io/acme/app:pr-7@${DIGEST}` }).gate).toEqual({
      eventName: 'push',
      ref: 'refs/heads/main',
      // No GITHUB_EVENT_PATH or GITHUB_SHA here: the head commit's message is read from neither.
      event: { eventName: 'push', payload: undefined, sha: '' },
      tests: 'success',
      scan: '',
      forcePublish: false,
      staged: [`ghcr.io/acme/app:pr-7@${DIGEST}`],
    });
  });

  test.each<[Record<string, string>, string]>([
    [{ 'stage-gate': 'yes' }, 'input "stage-gate": expected true or false, got "yes"'],
    [
      { 'stage-gate': 'true', 'tests-result': 'passed' },
      'input "tests-result": "passed" is not a job result; expected success, failure, cancelled, skipped or empty',
    ],
    [{ 'stage-gate': 'true', 'force-publish': '1' }, 'input "force-publish": expected true or false, got "1"'],
  ])('%j is refused: %s', (inputs, message) => {
    expect(refusal('load-config', inputs, readLoadConfigInputs)).toBe(message);
  });

  test.each<[Subject, string | undefined]>([[{ kind: 'image', name: 'app' }, 'image'], ...OTHER.slice(0, 1).map((s): [Subject, undefined] => [s, undefined])])(
    'a failure about %j names %s',
    (subject, input) => {
      expect(loadConfigInputFor(subject)).toBe(input);
    },
  );
});

describe('generate-version', () => {
  const VALID = {
    'base-version': '1.0',
    'run-number': '42',
    'run-attempt': '1',
    'production-branch': 'main',
    sha: 'abcdef1',
    ref: 'refs/heads/main',
    'event-name': 'push',
  };
  const read = (inputs: Record<string, string>) => withInputs('generate-version', { ...VALID, ...inputs }, readVersionInputs);

  test("action.yml's defaults: a release that is tagged and pushed, without floating tags", () => {
    expect(read({})).toEqual({
      request: {
        base: { major: 1, minor: 0 },
        runNumber: 42,
        runAttempt: 1,
        offset: 0,
        onRegression: 'fail',
        tagPrefix: 'v',
        build: { kind: 'release', branch: 'main' },
        floatingTags: false,
        sha: 'abcdef1',
      },
      createTag: false,
      pushTag: true,
    });
  });

  test('booleans are read as YAML writes them, in any case', () => {
    expect(read({ 'floating-tags': 'True', 'create-tag': 'TRUE', 'push-tag': 'false' })).toMatchObject({
      request: { floatingTags: true },
      createTag: true,
      pushTag: false,
    });
  });

  test.each<[Record<string, string>, string]>([
    [{ 'create-tag': 'yes please' }, 'input "create-tag": expected true or false, got "yes please"'],
    [{ 'push-tag': 'no' }, 'input "push-tag": expected true or false, got "no"'],
    [{ 'floating-tags': 'maybe' }, 'input "floating-tags": expected true or false, got "maybe"'],
    [{ 'base-version': '1.0.0' }, 'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got "1.0.0"'],
    // classifyBuild is the core's: its failure about the pull request names pr-number.
    [{ 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': 'seven' }, 'input "pr-number": expected a pull request number, got "seven"'],
    [{ ref: '' }, 'input "ref": the ref being built is missing: outside GitHub Actions give it, e.g. refs/heads/main'],
  ])('%j is refused: %s', (inputs, message) => {
    expect(refusal('generate-version', { ...VALID, ...inputs }, readVersionInputs)).toBe(message);
  });

  test.each<[Subject, string | undefined]>([
    [{ kind: 'commit', sha: 'deadbeef' }, 'sha'],
    [{ kind: 'ref', ref: '' }, 'ref'],
    [{ kind: 'pull-request', number: 'seven' }, 'pr-number'],
    // A version going backwards is fixed in what it is counted from, or by bumping past it.
    [{ kind: 'version-regression', remedy: 'offset' }, 'offset/on-regression'],
    [{ kind: 'version-regression', remedy: 'base-version' }, 'base-version/on-regression'],
    [{ kind: 'retry-wait' }, undefined],
    ...OTHER.map((s): [Subject, undefined] => [s, undefined]),
  ])('a failure about %j names %s', (subject, input) => {
    expect(versionInputFor(subject)).toBe(input);
  });

  test('a commit the checkout does not have, as generateVersion reports it, names sha', () => {
    const err = new DomainError('commit deadbeef is not in the repository at /w; check out the commit being built', {
      subject: { kind: 'commit', sha: 'deadbeef' },
    });
    expect(reported(err, versionInputFor)).toBe('input "sha": commit deadbeef is not in the repository at /w; check out the commit being built');
  });

  test('a version going backwards, as computeVersion reports it, names offset and on-regression', () => {
    const request = parseVersionInputs(MAIN_PUSH_INPUTS);
    const releases = releaseTags([{ name: 'v1.0.300', commit: 'f'.repeat(40) }], 'v');
    const err = captured(() => computeVersion(request, { commit: HEAD_SHA, releases, notInHistory: new Set() }));
    expect(reported(err, versionInputFor)).toMatch(
      /^input "offset\/on-regression": version 1\.0\.42 .* set versioning\.offset to 259 or more, or set versioning\.on-regression to bump/,
    );
  });
});

describe('promote-image', () => {
  const read = (inputs: Record<string, string>) => withInputs('promote-image', { ...promote.inputs, ...inputs }, readPromoteInputs);

  test('a destination without a tag takes each of tags; the source keeps its digest', async () => {
    const inputs = await read({ destination: 'docker.io/acme/app\nquay.io/acme/app:edge', tags: '1.0.0, latest' });
    expect(inputs.source).toMatchObject({ registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST });
    expect(inputs.destinations.map((d) => `${d.registry}/${d.repository}:${d.tag}`)).toEqual([
      'docker.io/acme/app:1.0.0',
      'docker.io/acme/app:latest',
      'quay.io/acme/app:edge',
    ]);
    expect(inputs).toMatchObject({ attestations: true, referrers: true, concurrency: 4, dryRun: false, platforms: [] });
  });

  test.each<[Record<string, string>, RegExp | string]>([
    [{ source: '' }, 'input "source": is required and was empty'],
    [{ source: 'ghcr.io/Acme/app' }, /^input "source": "ghcr.io\/Acme\/app" is not a valid image reference: /],
    [
      { destination: `docker.io/acme/app@${DIGEST}` },
      `input "destination": "docker.io/acme/app@${DIGEST}" has a digest; name a repository, optionally with a tag`,
    ],
    [
      { destination: 'docker.io/acme/app' },
      'input "destination": "docker.io/acme/app" has no tag and the input "tags" is empty; give tags, or a tag in the destination',
    ],
    [{ tags: '-dev' }, 'input "tags": "-dev" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)'],
    [{ platforms: 'arm64' }, 'input "platforms": "arm64" is not os/arch[/variant], e.g. linux/arm64'],
    [
      { 'source-username': 'ci' },
      'input "source-password": is empty while source-username is set; give both or neither (a secret that is not defined arrives empty)',
    ],
    [{ concurrency: '33' }, 'input "concurrency": expected at most 32, got 33'],
  ])('%j is refused: %s', async (inputs, message) => {
    const refused = await refusalOf('promote-image', { ...promote.inputs, ...inputs }, readPromoteInputs);
    if (typeof message === 'string') expect(refused).toBe(message);
    else expect(refused).toMatch(message);
  });

  test('a Docker Hub description without a docker.io destination needs dockerhub-repository', async () => {
    // withInputs keeps the inputs in the environment until the promise settles.
    const read = () => readPromoteInputs().then((inputs) => readDescriptionInputs(inputs, undefined));
    expect(await refusalOf('promote-image', { ...promote.inputs, destination: 'quay.io/acme/app:1', 'dockerhub-description': 'An app' }, read)).toBe(
      'input "dockerhub-repository": is required when no destination is on docker.io',
    );
  });

  let inputs: PromoteInputs;
  beforeAll(async () => {
    inputs = await withInputs(
      'promote-image',
      {
        ...promote.inputs,
        destination: 'docker.io/acme/app:1\nghcr.io/acme/mirror:1',
        'source-username': 'ci',
        'source-password': 'source-pass-for-tests',
        'destination-username': 'publisher',
        'destination-password': 'destination-pass-for-tests',
      },
      readPromoteInputs,
    );
  });
  const description = { credentialInputs: 'dockerhub-username/dockerhub-password' } as Parameters<typeof promoteInputFor>[1];

  test.each<[Subject, string | undefined]>([
    [{ kind: 'credentials', service: 'registry', address: 'docker.io' }, 'destination-username/destination-password'],
    // ghcr.io holds the source and a destination: one login per registry, with the destination's credentials (credentialsFor).
    [{ kind: 'credentials', service: 'registry', address: 'ghcr.io' }, 'destination-username/destination-password'],
    [{ kind: 'credentials', service: 'registry', address: 'quay.io' }, undefined],
    [{ kind: 'credentials', service: 'docker-hub', address: 'hub.docker.com' }, 'dockerhub-username/dockerhub-password'],
    [{ kind: 'retry-wait' }, 'max-retry-wait'],
    ...OTHER.map((s): [Subject, undefined] => [s, undefined]),
  ])('a failure about %j names %s', (subject, input) => {
    expect(promoteInputFor(credentialInputSources(inputs), description)(subject)).toBe(input);
  });

  test("a registry's refusal, as the OCI client throws it, names the credential inputs of that registry", () => {
    const refused = new AuthenticationError('docker.io', 'docker.io rejected the credentials of user "ci"');
    expect(reported(refused, promoteInputFor(credentialInputSources(inputs), undefined))).toBe(
      'input "destination-username/destination-password": docker.io rejected the credentials of user "ci"',
    );
    const denied = new PermissionError('docker.io', 'pushing manifest', 403, 'DENIED', 'requested access to the resource is denied');
    expect(reported(denied, promoteInputFor(credentialInputSources(inputs), undefined))).toBe(
      'input "destination-username/destination-password": pushing manifest: HTTP 403 DENIED: requested access to the resource is denied',
    );
  });
});

describe('cleanup-staging', () => {
  const read = (inputs: Record<string, string>) => withInputs('cleanup-staging', { ...cleanup.inputs, ...inputs }, readCleanupInputs);

  test('the minimal inputs: one package, the strategy asked for, the API named', () => {
    expect(read({})).toMatchObject({
      decision: { strategy: 'immediate-cleanup' },
      owner: 'acme',
      packages: ['app'],
      stagingRegistry: 'ghcr.io',
      apiUrl: 'https://api.github.com',
      keepLast: 5,
      dryRun: false,
    });
  });

  test.each<[Record<string, string>, string]>([
    [{ token: '' }, 'input "token": is required and was empty (the default is github.token; a secret that is not defined arrives empty)'],
    [{ strategy: 'sometimes' }, 'input "strategy": '],
    [{ 'github-api-url': 'api.github.com' }, 'input "github-api-url": "api.github.com" is not a URL, e.g. https://api.github.com'],
    [{ package: 'ghcr.io/acme/app:1' }, 'input "package": "ghcr.io/acme/app:1" names an image; a package is named without tag or digest'],
    [{ 'keep-last': '-1' }, 'input "keep-last": expected at least 0, got -1'],
    [{ 'rate-limit-budget': '2' }, 'input "rate-limit-budget": "2" is not a share of the rate limit; expected a number above 0 and at most 1, e.g. 0.5'],
    [{ promotions: '{not json' }, 'input "promotions": promotions: not JSON ('],
  ])('%j is refused: %s', (inputs, message) => {
    expect(refusal('cleanup-staging', { ...cleanup.inputs, ...inputs }, readCleanupInputs)).toContain(message);
  });

  const inputs = read({ 'production-repository': 'docker.io/acme/app' });

  test.each<[Subject, string | undefined]>([
    [{ kind: 'github-owner', owner: 'acme' }, 'owner'],
    [{ kind: 'github-package', owner: 'acme', name: 'app' }, 'package'],
    [{ kind: 'credentials', service: 'github', address: 'api.github.com' }, 'token'],
    [{ kind: 'credentials', service: 'registry', address: 'ghcr.io' }, 'staging-username/staging-password'],
    [{ kind: 'credentials', service: 'registry', address: 'docker.io' }, 'production-username/production-password'],
    [{ kind: 'credentials', service: 'registry', address: 'quay.io' }, undefined],
    [{ kind: 'retry-wait' }, 'max-retry-wait'],
    ...OTHER.map((s): [Subject, undefined] => [s, undefined]),
  ])('a failure about %j names %s', (subject, input) => {
    expect(cleanupInputFor(inputs)(subject)).toBe(input);
  });

  test('a server asking for a longer wait than allowed, as withRetry reports it, names max-retry-wait', async () => {
    const err = await refusedWait();
    expect(reported(err, cleanupInputFor(inputs))).toBe(
      'input "max-retry-wait": registry ping: GET https://ghcr.io/v2/: HTTP 429; the server asked to wait 120s before another attempt, longer than the longest wait allowed (5s); gave up after 1 attempt',
    );
  });

  test("GitHub's 404 for an owner, as the packages client throws it, names owner", () => {
    const err = new NotFoundError({ kind: 'github-owner', owner: 'nobody' }, 'no GitHub user or organization named "nobody" (GitHub answered 404)');
    expect(reported(err, cleanupInputFor(inputs))).toBe('input "owner": no GitHub user or organization named "nobody" (GitHub answered 404)');
  });
});

describe('publish-clients', () => {
  const read = (target: typeof publishMaven, inputs: Record<string, string>) =>
    withInputs('publish-clients', { ...target.inputs, ...inputs }, readPublishInputs);

  test("Maven only: action.yml's defaults, the version from version", () => {
    const inputs = read(publishMaven, {});
    expect(inputs.npm).toBeUndefined();
    expect(inputs.maven).toMatchObject({ groupId: 'io.github.acme', version: '1.0.0', publishingType: 'automatic', waitUntil: 'published', snapshots: false });
    expect(inputs.mavenVersionInput).toBe('version');
    expect(read(publishMaven, { 'maven-version': '1.0.0-alpha-1' })).toMatchObject({ maven: { version: '1.0.0-alpha-1' }, mavenVersionInput: 'maven-version' });
  });

  test('npm only: a release goes to latest, with the token given', () => {
    const inputs = read(publishNpm, {});
    expect(inputs.maven).toBeUndefined();
    expect(inputs.npm).toMatchObject({
      packagePaths: ['clients/ts'],
      version: '1.0.0',
      distTag: 'latest',
      access: 'public',
      provenance: false,
      token: 'npm_token-for-tests',
    });
  });

  test.each<[typeof publishMaven, Record<string, string>, string]>([
    [publishNpm, { 'npm-package-paths': '' }, 'input "npm-package-paths": and maven-repository-path are both empty: nothing to publish'],
    [publishNpm, { version: 'v1.0.0' }, 'input "version": "v1.0.0" is not a version npm takes'],
    [publishNpm, { 'npm-scope': 'acme' }, 'input "npm-scope": "acme" is not an npm scope, e.g. @acme'],
    [publishNpm, { 'npm-access': 'private' }, 'input "npm-access": expected public or restricted, got "private"'],
    [publishMaven, { 'maven-group-id': 'io..acme' }, 'input "maven-group-id": "io..acme" is not a Maven groupId, e.g. io.github.acme'],
    [publishMaven, { 'central-url': 'ftp://central.example' }, 'input "central-url": "ftp://central.example" is not an http(s) URL'],
    [publishMaven, { 'signing-key': '' }, 'input "signing-key": is empty; pass secrets.SIGNING_KEY'],
    [publishMaven, { 'maven-timeout-minutes': '0' }, 'input "maven-timeout-minutes": expected at least 1, got 0'],
  ])('%j is refused: %s', (target, inputs, message) => {
    expect(refusal('publish-clients', { ...target.inputs, ...inputs }, readPublishInputs)).toContain(message);
  });

  test.each<[Subject, 'maven-version' | 'version', string | undefined]>([
    [{ kind: 'credentials', service: 'npm', address: 'https://registry.npmjs.org/' }, 'version', 'npm-token'],
    [{ kind: 'credentials', service: 'central-portal', address: 'https://central.sonatype.com' }, 'version', 'central-username/central-password'],
    [{ kind: 'npm-package', path: 'clients/ts' }, 'version', 'npm-package-paths'],
    [{ kind: 'signing-key' }, 'version', 'signing-key'],
    [{ kind: 'signing-passphrase' }, 'version', 'signing-password'],
    [{ kind: 'maven-repository', path: 'build/repo' }, 'version', 'maven-repository-path'],
    [{ kind: 'maven-version', version: '1.0.0' }, 'version', 'version'],
    [{ kind: 'maven-version', version: '1.0.0-alpha-1' }, 'maven-version', 'maven-version'],
    [{ kind: 'deployment-timeout' }, 'version', 'maven-timeout-minutes'],
    [{ kind: 'npm-scope' }, 'version', 'npm-scope'],
    [{ kind: 'npm-package-list' }, 'version', 'npm-package-paths'],
    [{ kind: 'retry-wait' }, 'version', 'max-retry-wait'],
    [{ kind: 'credentials', service: 'registry', address: 'ghcr.io' }, 'version', undefined],
    [{ kind: 'image', name: 'app' }, 'version', undefined],
  ])('a failure about %j (Maven version from %s) names %s', (subject, mavenVersionInput, input) => {
    expect(publishInputFor({ mavenVersionInput })(subject)).toBe(input);
  });

  test('a package outside the scope, as the npm release reports it, names npm-scope', () => {
    const err = new NpmReleaseError(manifestProblems('clients/ts', { name: 'client' }, '@acme'));
    expect(reported(err, publishInputFor({ mavenVersionInput: 'version' }))).toBe(
      'input "npm-scope": 1 problem(s) with the npm packages; nothing was published:\n- clients/ts/package.json names client, which is not in the scope @acme the packages are published under',
    );
  });

  test('problems about different things name no one input: each line says what it is about', () => {
    const err = new NpmReleaseError([...manifestProblems('clients/ts', { name: 'client', private: true }, '@acme')]);
    expect(attributeToInput(err, publishInputFor({ mavenVersionInput: 'version' }))).toBe(err);
  });
});
