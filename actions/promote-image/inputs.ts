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
  retryPolicyInput,
  stringInput,
} from '../../packages/core/src/action/index.js';
import { DOCKER_HUB_API, descriptionProblems, MAX_FULL_DESCRIPTION_BYTES, type DescriptionUpdate } from '../../packages/core/src/dockerhub/description.js';
import { DOCKER_HUB, isTag, parseReference, type ImageReference } from '../../packages/core/src/oci/reference.js';
import type { PromoteOptions } from '../../packages/core/src/oci/promote.js';
import { actionWorkspace, readWorkspaceFile } from '../../packages/core/src/util/workspace-path.js';

/** A little above what Docker Hub takes, so a README just over it is reported with Docker Hub's exact limit. */
const README_READ_LIMIT = MAX_FULL_DESCRIPTION_BYTES + 8 * 1024;

export function readPromoteInputs(): Omit<PromoteOptions, 'log'> {
  const source = parsedInput('source', addressInput('source', 'image-reference', { required: true }), parseReference);
  const tags = listInput('tags');
  for (const tag of tags) if (!isTag(tag)) throw new InputError('tags', `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
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
  return {
    source,
    destinations,
    sourceCredentials: credentialsInput('source'),
    destinationCredentials: credentialsInput('destination'),
    platforms,
    attestations: booleanInput('attestations', true),
    referrers: booleanInput('referrers', true),
    concurrency: integerInput('concurrency', 4, { min: 1, max: 32 }),
    dryRun: booleanInput('dry-run', false),
    insecureRegistries: addressListInput('insecure-registries', 'url'),
    retry: retryPolicyInput(),
  };
}

export interface DescriptionInputs {
  apiUrl: string;
  update: DescriptionUpdate;
}

/** The optional Docker Hub description update; undefined when neither text is asked for. */
export function readDescriptionInputs(destinations: ImageReference[]): DescriptionInputs | undefined {
  const description = stringInput('dockerhub-description');
  const readmeFile = stringInput('dockerhub-readme-file');
  if (!description && !readmeFile) return undefined;
  const fullDescription = readmeFile
    ? parsedInput('dockerhub-readme-file', readmeFile, (file) => readWorkspaceFile(actionWorkspace(), file, README_READ_LIMIT).toString('utf8'))
    : undefined;
  const hubDestination = destinations.find((d) => d.registry === DOCKER_HUB);
  const repository = stringInput('dockerhub-repository') || hubDestination?.repository;
  if (!repository) throw new InputError('dockerhub-repository', 'is required when no destination is on docker.io');
  const update: DescriptionUpdate = { repository, ...(description ? { description } : {}), ...(fullDescription !== undefined ? { fullDescription } : {}) };
  const problems = descriptionProblems(update);
  if (problems.length > 0) {
    const input = problems[0]!.startsWith('the short') ? 'dockerhub-description' : problems[0]!.startsWith('the full') ? 'dockerhub-readme-file' : 'dockerhub-repository';
    throw new InputError(input, problems.join('; '));
  }
  return { apiUrl: (addressInput('dockerhub-api-url', 'url') || DOCKER_HUB_API).replace(/\/+$/, ''), update };
}
