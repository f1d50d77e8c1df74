// promote-image's inputs, parsed and checked before anything touches a registry.
import {
  addressInput,
  addressListInput,
  booleanInput,
  credentialsInput,
  InputError,
  integerInput,
  listInput,
  parsedInput,
  parsedInputAsync,
  retryPolicyInput,
  stringInput,
  type InputFor,
} from '@ci-actions/publishing/action/index.js';
import { parseRegistryAuth } from '@ci-actions/publishing/action/registry-auth.js';
import { DOCKER_HUB_API, descriptionProblems, MAX_FULL_DESCRIPTION_BYTES, type DescriptionUpdate } from '@ci-actions/publishing/dockerhub/description.js';
import { completeReadmeUrls, type ReadmeLocation } from '@ci-actions/publishing/dockerhub/readme-urls.js';
import { DOCKER_HUB, isTag, parseReference, type ImageReference } from '@ci-actions/publishing/oci/reference.js';
import { credentialsFor, type PromoteOptions } from '@ci-actions/publishing/oci/promote.js';
import { stepPath, stepRoots } from '@ci-actions/publishing/util/step-files.js';
import { actionWorkspace, readWorkspaceFile } from '@ci-actions/publishing/util/workspace-path.js';
import path from 'node:path';

/** A little above what Docker Hub takes, so a README just over it is reported with Docker Hub's exact limit. */
const README_READ_LIMIT = MAX_FULL_DESCRIPTION_BYTES + 8 * 1024;

export type PromoteInputs = Omit<PromoteOptions, 'log'> & { recordFile: string };

/** Every input is read before the first await; registry-auth is parsed last, once its parser is loaded. */
export async function readPromoteInputs(): Promise<PromoteInputs> {
  const source = parsedInput('source', addressInput('source', 'image-reference', { required: true }), parseReference);
  const tags = listInput('tags');
  for (const tag of tags)
    if (!isTag(tag)) throw new InputError('tags', `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  const destinations = addressListInput('destination', 'image-reference', { required: true }).flatMap((value): ImageReference[] => {
    const ref = parsedInput('destination', value, parseReference);
    if (ref.digest) throw new InputError('destination', `"${value}" has a digest; name a repository, optionally with a tag`);
    if (ref.tag) return [ref];
    if (tags.length === 0) throw new InputError('destination', `"${value}" has no tag and the input "tags" is empty; give tags, or a tag in the destination`);
    return tags.map((tag) => ({ ...ref, tag }));
  });
  const platforms = listInput('platforms');
  for (const p of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) throw new InputError('platforms', `"${p}" is not os/arch[/variant], e.g. linux/arm64`);
  }
  const sourceCredentials = credentialsInput('source');
  const registryAuth = stringInput('registry-auth');
  const inputs = {
    source,
    destinations,
    sourceCredentials,
    destinationCredentials: credentialsInput('destination'),
    platforms,
    attestations: booleanInput('attestations', true),
    referrers: booleanInput('referrers', true),
    concurrency: integerInput('concurrency', 4, { min: 1, max: 32 }),
    dryRun: booleanInput('dry-run', false),
    insecureRegistries: addressListInput('insecure-registries', 'url'),
    retry: retryPolicyInput(),
    recordFile: recordFileInput(),
  };
  const registryCredentials = await parsedInputAsync('registry-auth', registryAuth, parseRegistryAuth);
  if (sourceCredentials && registryCredentials.has(source.registry))
    throw new InputError(
      'registry-auth',
      `names ${source.registry}, the source's registry, whose credentials source-username/source-password give too; give them once`,
    );
  return { ...inputs, registryCredentials };
}

/** The record file's path, refused before anything is promoted unless it is in the workspace or the runner's temporary directory. */
function recordFileInput(): string {
  const file = stringInput('record-file');
  if (file) parsedInput('record-file', file, (given) => stepPath(stepRoots(), given));
  return file;
}

export interface DescriptionInputs {
  apiUrl: string;
  update: DescriptionUpdate;
  username: string;
  password: string;
  /** The inputs the credentials came from, named when Docker Hub refuses them. */
  credentialInputs: string;
  /** Whether a failed update after the promotion fails the step, or only warns. */
  required: boolean;
}

/**
 * The optional Docker Hub description update; undefined when neither text is asked for.
 * `promote` with its credentials resolved; `hubCredentialInput` is the input docker.io's came from, if one did.
 */
export function readDescriptionInputs(promote: Omit<PromoteOptions, 'log'>, hubCredentialInput: string | undefined): DescriptionInputs | undefined {
  const description = stringInput('dockerhub-description');
  const readmeFile = stringInput('dockerhub-readme-file');
  if (!description && !readmeFile) return undefined;
  const fullDescription = readmeFile ? parsedInput('dockerhub-readme-file', readmeFile, readReadme) : undefined;
  const hubDestination = promote.destinations.find((d) => d.registry === DOCKER_HUB);
  const repository = stringInput('dockerhub-repository') || hubDestination?.repository;
  if (!repository) throw new InputError('dockerhub-repository', 'is required when no destination is on docker.io');
  const update: DescriptionUpdate = { repository, ...(description ? { description } : {}), ...(fullDescription !== undefined ? { fullDescription } : {}) };
  const problems = descriptionProblems(update);
  if (problems.length > 0) {
    const input = problems[0].startsWith('the short')
      ? 'dockerhub-description'
      : problems[0].startsWith('the full')
        ? 'dockerhub-readme-file'
        : 'dockerhub-repository';
    throw new InputError(input, problems.join('; '));
  }
  // An organization access token that may push often may not edit descriptions: Docker Hub
  // credentials of their own, when given, are used for the description only.
  const hubCredentials = credentialsInput('dockerhub');
  const forHub = credentialsFor(promote, DOCKER_HUB);
  const { username = '', password = '' } = hubCredentials ?? forHub?.credentials ?? promote.destinationCredentials ?? {};
  // Named when Docker Hub refuses them: the input they came from, or the one to give instead.
  const credentialInputs =
    !hubCredentials && forHub && hubCredentialInput
      ? hubCredentialInput
      : !hubCredentials && !forHub && promote.destinationCredentials
        ? 'destination-username/destination-password'
        : 'dockerhub-username/dockerhub-password';
  if (!username || !password)
    throw new InputError(
      'dockerhub-username',
      'is required to update the Docker Hub description (or docker.io credentials in registry-auth or destination-username, when those may edit it)',
    );
  return {
    apiUrl: (addressInput('dockerhub-api-url', 'url') || DOCKER_HUB_API).replace(/\/+$/, ''),
    update,
    username,
    password,
    credentialInputs,
    required: booleanInput('dockerhub-description-required', false),
  };
}

/**
 * What the core's failures are about, as promote-image's inputs: the credentials of the
 * registry that refused them, by the input they came from (credentials from a Docker config
 * are named by attributeToSource), Docker Hub's for its description, or a server's wait
 * longer than max-retry-wait allows.
 */
export function promoteInputFor(sources: ReadonlyMap<string, { input?: string }>, description: DescriptionInputs | undefined): InputFor {
  return (subject) => {
    if (subject.kind === 'retry-wait') return 'max-retry-wait';
    if (subject.kind !== 'credentials') return undefined;
    if (subject.service === 'docker-hub') return description?.credentialInputs;
    if (subject.service !== 'registry') return undefined;
    return sources.get(subject.address)?.input;
  };
}

/** The README as Docker Hub should show it: relative URLs completed when the run says where the file is in which repository. */
function readReadme(file: string): string {
  const workspace = actionWorkspace();
  const text = readWorkspaceFile(workspace, file, README_READ_LIMIT).toString('utf8');
  const location = readmeLocation(workspace, file);
  return location ? completeReadmeUrls(text, location) : text;
}

/** Where the README is on the forge, from the runner's variables; undefined outside a workflow run. */
function readmeLocation(workspace: string, file: string): ReadmeLocation | undefined {
  const { GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = process.env;
  if (!serverUrl || !repository || !sha) return undefined;
  const directory = path
    .relative(workspace, path.dirname(path.resolve(workspace, file)))
    .split(path.sep)
    .join('/');
  return { serverUrl, repository, sha, directory };
}
