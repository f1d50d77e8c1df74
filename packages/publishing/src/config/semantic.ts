// Checks the schema cannot express: values compared with each other, and the rules the
// actions apply to the values the configuration feeds them, so that a configuration a later
// job would refuse fails here, before anything is promoted.
import path from 'node:path';
import { branchNameProblem } from '../git/ref-names.js';
import { parseBaseVersion } from '../version/release-version.js';
import { canonicalRegistry } from '../oci/reference.js';
import { redactUrlCredentials } from '../address-credentials.js';
import type { ConfigProblem } from './problems.js';
import type { PublishingConfig, RegistryLocation } from './types.js';
import { problemAt, type PathSegment, type YamlSource } from './yaml-source.js';

/** Problems of a configuration the schema accepted. */
export function semanticProblems(source: YamlSource): ConfigProblem[] {
  const config = source.value as PublishingConfig;
  return [
    ...duplicateImageNames(source, config),
    ...productionIsStaging(source, config),
    ...productionBranch(source, config),
    ...workspacePaths(source, config),
    ...baseVersion(source, config),
  ];
}

function duplicateImageNames(source: YamlSource, config: PublishingConfig): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  config.docker.images.forEach((image, i) => {
    if (seen.has(image.name))
      problems.push(problemAt(source, ['docker', 'images', i, 'name'], `duplicate image name "${image.name}"; each image must be named once`));
    seen.add(image.name);
  });
  return problems;
}

// Promotion would copy each image onto itself, and cleanup-staging would delete the
// released images as staging leftovers.
function productionIsStaging(source: YamlSource, { docker }: PublishingConfig): ConfigProblem[] {
  const place = (l: RegistryLocation) => `${canonicalRegistry(l.registry)}/${l.namespace}`;
  if (place(docker.production) !== place(docker.staging)) return [];
  const staging = source.locate(['docker', 'staging'], 'key');
  const written = (l: RegistryLocation) => `${l.registry}/${l.namespace}`;
  return [
    problemAt(
      source,
      ['docker', 'production'],
      `${written(docker.production)} is the staging location, docker.staging at ${source.file}:${staging.line}:${staging.column} (${written(docker.staging)}); ` +
        'production must be another registry or namespace, or cleanup-staging would delete what was promoted',
      'key',
    ),
  ];
}

function productionBranch(source: YamlSource, { publishing }: PublishingConfig): ConfigProblem[] {
  const problem = branchNameProblem(publishing['production-branch']);
  return problem ? [problemAt(source, ['publishing', 'production-branch'], problem)] : [];
}

// The schema's pattern has no bound on the numbers; generate-version reads the base version
// with this parser, which refuses a number past 2^53 (it would compare wrongly).
function baseVersion(source: YamlSource, { versioning }: PublishingConfig): ConfigProblem[] {
  const text = versioning['base-version'];
  if (parseBaseVersion(text)) return [];
  return [
    problemAt(
      source,
      ['versioning', 'base-version'],
      `"${text}" has a number above ${Number.MAX_SAFE_INTEGER}, which generate-version refuses; expected MAJOR.MINOR, each at most ${Number.MAX_SAFE_INTEGER}`,
    ),
  ];
}

// The paths the later actions read (readme by promote-image, package paths by
// publish-clients) must lead into the workspace. The files are built later, so only the path's
// text is checked here; the action reading it resolves its symlinks.
function workspacePaths(source: YamlSource, { docker, npm, maven }: PublishingConfig): ConfigProblem[] {
  const paths: [PathSegment[], string | undefined][] = [
    ...docker.images.map((image, i): [PathSegment[], string | undefined] => [['docker', 'images', i, 'readme'], image.readme]),
    ...(npm?.packages ?? []).map((pkg, i): [PathSegment[], string | undefined] => [['npm', 'packages', i, 'path'], pkg.path]),
    [['maven', 'repository-path'], maven?.['repository-path']],
  ];
  return paths.flatMap(([at, value]) => {
    const problem = value === undefined ? undefined : workspacePathProblem(value);
    return problem ? [problemAt(source, at, problem)] : [];
  });
}

/** Why `value` cannot name a file in the workspace: absolute, or leading out of it with `..`. */
function workspacePathProblem(value: string): string | undefined {
  if (path.posix.isAbsolute(value) || path.win32.isAbsolute(value))
    return `"${value}" is an absolute path; expected a path relative to the repository root, inside the workspace`;
  const normal = path.posix.normalize(value.replaceAll('\\', '/'));
  if (normal === '..' || normal.startsWith('../')) return `"${value}" leads out of the workspace (as ${normal}); expected a path inside it`;
  return undefined;
}

/**
 * Every string in the file that holds a URL with a user name or password. The file is
 * committed and its values are printed and passed on as step outputs; credentials belong in
 * secrets given to the action that uses them.
 */
export function credentialProblems(source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      const redacted = redactUrlCredentials(value);
      if (redacted !== value) {
        problems.push(
          problemAt(
            source,
            path,
            `holds a URL with credentials (${JSON.stringify(redacted)}); remove them, and give them to the action as secrets (npm-token, central-username and central-password)`,
          ),
        );
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(source.value, []);
  return problems;
}
