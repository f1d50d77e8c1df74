// Which credentials each registry of the promotion gets, and where they came from: the
// inputs first (registry-auth, then the source-/destination- pairs), then, for a registry
// no input covers, the Docker config a login step left (docker/login-action, docker login).
// A refusal then names where the refused credentials came from.
import { actionLog } from '@ci-actions/publishing/action/index.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { dockerConfigCredentials } from '@ci-actions/publishing/oci/docker-credentials.js';
import { AuthenticationError, PermissionError } from '@ci-actions/publishing/oci/errors.js';
import { credentialsFor, type CredentialOrigin, type PromoteOptions } from '@ci-actions/publishing/oci/promote.js';

type PromoteInputs = Omit<PromoteOptions, 'log'>;

const INPUTS: Record<CredentialOrigin, string> = {
  registry: 'registry-auth',
  destination: 'destination-username/destination-password',
  source: 'source-username/source-password',
};

export interface CredentialSource {
  /** The input that gave them, when one did. */
  input?: string;
  /** For a person: the input, or the Docker config file and key, or the helper. */
  description: string;
}

/** For each registry of the promotion whose credentials an input gives, that input. */
export function credentialInputSources(inputs: PromoteInputs): Map<string, CredentialSource> {
  const sources = new Map<string, CredentialSource>();
  for (const registry of registriesOf(inputs)) {
    const given = credentialsFor(inputs, registry);
    if (given) sources.set(registry, { input: INPUTS[given.origin], description: `input "${INPUTS[given.origin]}"` });
  }
  return sources;
}

function registriesOf(inputs: PromoteInputs): string[] {
  return [...new Set([inputs.source.registry, ...inputs.destinations.map((d) => d.registry)])];
}

/** The inputs with the Docker config's credentials added for registries no input covers, and each registry's source. */
export async function resolveCredentials<T extends PromoteInputs>(inputs: T): Promise<{ inputs: T; sources: Map<string, CredentialSource> }> {
  const registries = registriesOf(inputs);
  const sources = credentialInputSources(inputs);
  const uncovered = registries.filter((r) => !sources.has(r));
  const found = await dockerConfigCredentials(uncovered, { log: actionLog });
  const registryCredentials = new Map(inputs.registryCredentials);
  for (const [registry, { credentials, source }] of found) {
    registryCredentials.set(registry, credentials);
    sources.set(registry, { description: source });
  }
  for (const registry of registries)
    actionLog.info(`${registry}: ${sources.has(registry) ? `credentials from ${sources.get(registry)!.description}` : 'no credentials (anonymous)'}`);
  return { inputs: { ...inputs, registryCredentials }, sources };
}

/**
 * A refused login or permission that no input gave the credentials for (promoteInputFor names
 * those): the Docker config file and key or the helper they came from, or how to give some.
 */
export function attributeToSource(err: unknown, sources: ReadonlyMap<string, CredentialSource>): unknown {
  if (!(err instanceof AuthenticationError) && !(err instanceof PermissionError)) return err;
  const source = sources.get(err.registry);
  if (source?.input) return err;
  if (source) return new DomainError(`${err.message} (credentials from ${source.description})`, { cause: err });
  return new DomainError(
    `${err.message}; no credentials were given for ${err.registry}: name it in the input "registry-auth", or log in to it (docker/login-action) before this step`,
    { cause: err },
  );
}
