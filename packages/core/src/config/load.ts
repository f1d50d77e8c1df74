import { open } from 'node:fs/promises';
import { ConfigError, type ConfigProblem } from './problems.js';
import type { PublishingConfig } from './types.js';
import { validateConfig } from './validate.js';
import { parseYamlSource } from './yaml-source.js';

/**
 * The largest configuration read, far above any real one (a few KiB): parsing and
 * validating take time and memory in proportion to the size, and a runaway or hostile
 * file should fail at once, not hold the job.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads, parses and validates a publishing configuration file. Throws a ConfigError
 * listing every problem found (file:line:column, key path, expectation); returns the
 * configuration with defaults applied.
 */
export async function loadConfigFile(file: string): Promise<PublishingConfig> {
  return parseConfig(file, await readBounded(file));
}

// The size comes from the open file, so the file checked is the file read.
async function readBounded(file: string): Promise<string> {
  const unreadable = (reason: string) => new ConfigError([{ file, line: 0, column: 0, keyPath: '', message: `cannot read the configuration: ${reason}` }]);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw unreadable((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw unreadable('not a regular file');
    if (stats.size > MAX_CONFIG_BYTES) throw unreadable(`${stats.size} bytes, more than the limit of ${MAX_CONFIG_BYTES} bytes (1 MiB)`);
    return await handle.readFile('utf8');
  } catch (err) {
    throw err instanceof ConfigError ? err : unreadable((err as Error).message);
  } finally {
    await handle.close();
  }
}

export function parseConfig(file: string, text: string): PublishingConfig {
  const { source, problems } = parseYamlSource(file, text);
  if (!source) throw new ConfigError(problems);
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    throw new ConfigError([documentProblem(file, source.value)]);
  }
  const invalid = validateConfig(source);
  if (invalid.length > 0) throw new ConfigError(invalid);
  return source.value as PublishingConfig;
}

function documentProblem(file: string, value: unknown): ConfigProblem {
  const got = value === null || value === undefined ? 'an empty document' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  return { file, line: 1, column: 1, keyPath: '', message: `expected a mapping with at least the key "docker", got ${got}` };
}
