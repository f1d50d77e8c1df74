// load-config: reads config/publishing-config.yml, validates it against its JSON Schema
// and exposes it as step outputs.
import * as core from '@actions/core';
import { parsedInput, runAction, setOutputs, writeSummaryTable } from '../../packages/core/src/action/index.js';
import { configOutputs, imageRepositories, MAX_CONFIG_BYTES, parseConfig } from '../../packages/core/src/config/index.js';
import { actionWorkspace, readWorkspaceFile } from '../../packages/core/src/util/workspace-path.js';

export const DEFAULT_CONFIG_FILE = 'config/publishing-config.yml';

export function run(): Promise<void> {
  return runAction(async () => {
    const file = core.getInput('config-file') || DEFAULT_CONFIG_FILE;
    const config = await core.group(`Load ${file}`, async () => {
      const text = parsedInput('config-file', file, (given) => readWorkspaceFile(actionWorkspace(), given, MAX_CONFIG_BYTES).toString('utf8'));
      const loaded = parseConfig(file, text);
      core.info(`${file} is valid: ${loaded.docker.images.length} image(s), npm ${loaded.npm ? 'on' : 'off'}, maven ${loaded.maven ? 'on' : 'off'}`);
      return loaded;
    });
    const outputs = configOutputs(config, core.getInput('image'));
    await core.group('Outputs', async () => {
      for (const [name, value] of Object.entries(outputs)) {
        if (name !== 'config-json') core.info(`${name}=${value.includes('\n') ? JSON.stringify(value) : value}`);
      }
    });
    setOutputs(outputs);
    await writeSummaryTable(
      `Configuration from ${file}`,
      ['image', 'staging', 'production', 'platforms'],
      imageRepositories(config).map((i) => [i.name, i['staging-repository'], i['production-repository'], i.platforms.join(', ') || 'all']),
    );
  });
}
