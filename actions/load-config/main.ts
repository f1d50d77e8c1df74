// load-config: reads config/publishing-config.yml, validates it against its JSON Schema
// and exposes it as step outputs; asked by the stage gate (stage-gate: true), it also decides
// whether the run publishes, since that depends on the configuration's branch and images.
import * as core from '@actions/core';
import { attributeToInput, parsedInput, runAction, setOutputs, writeSummaryTable } from '@ci-actions/publishing/action/index.js';
import { configOutputs, imageRepositories, MAX_CONFIG_BYTES, parseConfig, type PublishingConfig } from '@ci-actions/publishing/config/index.js';
import { decidePublish, planPromotions, readHeadCommitMessage, type Promotion } from '@ci-actions/publishing/gate/index.js';
import { actionWorkspace, readWorkspaceFile } from '@ci-actions/publishing/util/workspace-path.js';
import { reportInput, writeReport } from './report.js';
import { describeGateInputs, loadConfigInputFor, readLoadConfigInputs, type LoadConfigInputs } from './inputs.js';

export function run(): Promise<void> {
  return runAction(async () => {
    const report = reportInput();
    if (report) return writeReport(report);
    const inputs = readLoadConfigInputs();
    const file = inputs.configFile;
    const config = await core.group(`Load ${file}`, async () => {
      const text = parsedInput('config-file', file, (given) => readWorkspaceFile(actionWorkspace(), given, MAX_CONFIG_BYTES).toString('utf8'));
      const loaded = parseConfig(file, text);
      core.info(`${file} is valid: ${loaded.docker.images.length} image(s), npm ${loaded.npm ? 'on' : 'off'}, maven ${loaded.maven ? 'on' : 'off'}`);
      return loaded;
    });
    // The report outputs too, so that every declared output is always set.
    const outputs: Record<string, string> = {
      ...imageOutputs(config, inputs.image),
      ...(await gateOutputs(config, inputs.gate)),
      'promoted-images': '[]',
      'run-summary': '',
    };
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
    if (inputs.gate)
      await writeSummaryTable(`Stage gate: ${outputs.publish === 'true' ? 'publish' : 'do not publish'}`, ['decision'], [[outputs['publish-reason']]]);
  });
}

function imageOutputs(config: PublishingConfig, image: string): Record<string, string> {
  try {
    return configOutputs(config, image);
  } catch (err) {
    throw attributeToInput(err, loadConfigInputFor);
  }
}

/**
 * The stage gate's outputs. Without stage-gate: true they say that no decision was asked for,
 * so every declared output is always set.
 */
async function gateOutputs(config: PublishingConfig, gate: LoadConfigInputs['gate']): Promise<Record<string, string>> {
  if (!gate)
    return {
      publish: 'false',
      forced: 'false',
      'publish-reason': 'no publish decision was asked for (stage-gate: false)',
      'promote-matrix': '[]',
      'production-repositories': '',
      'staged-refs': '',
      'head-commit-message': '',
    };
  describeGateInputs(gate);
  const promotions: Promotion[] = parsedInput('staged-images', gate.staged.join('\n'), () => planPromotions(gate.staged, imageRepositories(config)));
  const decision = decidePublish({ ...gate, productionBranch: config.publishing['production-branch'], staged: promotions.length });
  core.info(`publish=${decision.publish}: ${decision.reason}`);
  const head = await readHeadCommitMessage(actionWorkspace(), gate.event);
  if (head.message === undefined) core.warning(`the head commit's message is unknown, so a preserve marker in it cannot keep staging: ${head.why}`);
  else core.info(`head commit message from ${head.from}`);
  return {
    publish: String(decision.publish),
    forced: String(decision.forced),
    'publish-reason': decision.reason,
    'promote-matrix': JSON.stringify(promotions),
    'production-repositories': promotions.map((p) => `${p.name}=${p.destination}`).join('\n'),
    'staged-refs': promotions.map((p) => p.source).join('\n'),
    'head-commit-message': head.message ?? '',
  };
}
