// load-config's inputs: the file to read, the image the flat outputs describe, and, when the
// stage gate asks for its decision, what happened in the run.
import * as core from '@actions/core';
import { booleanInput, eventPayload, InputError, listInput, stringInput, type InputFor } from '@ci-actions/publishing/action/index.js';
import type { GateFacts, RunEvent } from '@ci-actions/publishing/gate/index.js';

export const DEFAULT_CONFIG_FILE = 'config/publishing-config.yml';

/** needs.<job>.result values, and '' for a result not passed. */
const JOB_RESULTS = ['success', 'failure', 'cancelled', 'skipped', ''];

export interface LoadConfigInputs {
  configFile: string;
  image: string;
  /** The run's facts for the publish decision, without the configuration's part; undefined when not asked for. */
  gate?: Omit<GateFacts, 'productionBranch' | 'staged'> & { staged: string[]; event: RunEvent };
}

export function readLoadConfigInputs(): LoadConfigInputs {
  const inputs: LoadConfigInputs = { configFile: stringInput('config-file') || DEFAULT_CONFIG_FILE, image: stringInput('image') };
  if (!booleanInput('stage-gate', false)) return inputs;
  const result = (name: string): string => {
    const value = stringInput(name);
    if (!JOB_RESULTS.includes(value)) throw new InputError(name, `"${value}" is not a job result; expected success, failure, cancelled, skipped or empty`);
    return value;
  };
  return {
    ...inputs,
    gate: {
      // The runner's own values: a caller cannot pass another event or ref.
      eventName: process.env.GITHUB_EVENT_NAME ?? '',
      ref: process.env.GITHUB_REF ?? '',
      tests: result('tests-result'),
      scan: result('scan-result'),
      forcePublish: booleanInput('force-publish', false),
      staged: listInput('staged-images'),
      // Where the head commit's message is read from (the cleanup's preserve marker).
      event: { eventName: process.env.GITHUB_EVENT_NAME ?? '', payload: eventPayload(), sha: process.env.GITHUB_SHA ?? '' },
    },
  };
}

/** What the core's failures are about, as load-config's inputs: an image the configuration does not have. */
export const loadConfigInputFor: InputFor = (subject) => (subject.kind === 'image' ? 'image' : undefined);

/** For the log: what the gate was told. */
export function describeGateInputs(gate: NonNullable<LoadConfigInputs['gate']>): void {
  core.info(
    `event ${gate.eventName} on ${gate.ref}; tests: ${gate.tests || 'no result'}, scan: ${gate.scan || 'no result'}, force-publish: ${gate.forcePublish}; ${gate.staged.length} staged image(s)`,
  );
}
