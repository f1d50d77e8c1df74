// The dependencies a published package declares, which its users' npm resolves against the
// registry. A `workspace:`, `file:` or `link:` specifier names a directory on the machine
// that built it: every install of the package fails (npm does not even know `workspace:`),
// and a published version can never be replaced, so such a package is refused before
// anything is published. Dependencies on packages published by the same step (siblings in
// a monorepo) are the exception: they are pinned to the build's version instead.
import type { PackageManifest as Manifest, NpmProblem } from './manifest.js';

/** The sections npm installs for a user; devDependencies are never installed from the registry. */
const INSTALLED_SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

const LOCAL_PROTOCOL = /^(workspace|file|link):/;

/** Why the dependencies of the package in `dir` would break its users, each as one line; `siblings` are the names published alongside it. */
export function dependencyProblems(dir: string, manifest: Manifest, siblings: ReadonlySet<string>): NpmProblem[] {
  const problems: NpmProblem[] = [];
  for (const section of INSTALLED_SECTIONS) {
    for (const [name, spec] of Object.entries(sectionOf(manifest, section))) {
      if (siblings.has(name) || typeof spec !== 'string' || !LOCAL_PROTOCOL.test(spec)) continue;
      problems.push({
        message:
          `${dir}/package.json: ${section} "${name}": "${spec}" points at the build machine, so no user could install the published package; ` +
          `depend on a version in the registry, or add ${name}'s directory to the packages published to publish it alongside`,
        subject: { kind: 'npm-package-list' },
      });
    }
  }
  return problems;
}

/** The manifest with every dependency on a sibling set to exactly `version`, the version the siblings are published at. */
export function pinSiblings(manifest: Manifest, siblings: ReadonlySet<string>, version: string): Manifest {
  const pinned: Manifest = { ...manifest };
  for (const section of INSTALLED_SECTIONS) {
    const entries = Object.entries(sectionOf(manifest, section));
    if (entries.some(([name]) => siblings.has(name))) {
      pinned[section] = Object.fromEntries(entries.map(([name, spec]) => [name, siblings.has(name) ? version : spec]));
    }
  }
  return pinned;
}

function sectionOf(manifest: Manifest, section: string): Record<string, unknown> {
  const value = manifest[section];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
