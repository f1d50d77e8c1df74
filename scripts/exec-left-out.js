// Stands in for @actions/exec in the bundles of actions that run no program through it (see
// scripts/build.mjs): @actions/core imports it only for platform.getDetails, which no
// ci-actions action calls. Using it fails loudly.
const leftOut = () => {
  throw new Error('@actions/exec is not bundled with this action: ci-actions leaves it out where the action runs no program (see scripts/build.mjs)');
};

export const exec = leftOut;
export const getExecOutput = leftOut;
