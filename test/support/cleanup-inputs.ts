// cleanup-staging's inputs read as the runner passes them (INPUT_* variables), over a minimal
// set of the required ones, with `env` set around the read.
import { readCleanupInputs } from '../../actions/cleanup-staging/inputs.js';

export function readCleanupInputsFrom(inputs: Record<string, string>, env: Record<string, string> = {}): ReturnType<typeof readCleanupInputs> {
  const saved = process.env;
  process.env = { ...saved, ...env };
  const all = { token: 'ghs_token-for-tests', owner: 'acme', 'staging-registry': 'ghcr.io', package: 'server', 'production-branch': 'main', ...inputs };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    return readCleanupInputs();
  } finally {
    process.env = saved;
  }
}
