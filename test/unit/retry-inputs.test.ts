// max-retry-wait, on every action that makes HTTP requests: bounded, and named when wrong.
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';
import { cleanup, promote, publishMaven, type Target } from '../support/minimal-inputs.js';

describe('max-retry-wait', () => {
  test.each([
    ['promote-image', promote],
    ['cleanup-staging', cleanup],
    ['publish-clients', publishMaven],
  ] as [string, Target][])('%s: out of 0 to 3600, or not a number, is refused naming the input', async (_action, target) => {
    for (const [value, message] of [
      ['3601', 'expected at most 3600, got 3601'],
      ['-1', 'expected at least 0, got -1'],
      ['5m', 'expected an integer, got "5m"'],
    ]) {
      const run = await runActionInProcess(target.action, target.run, { ...target.inputs, 'max-retry-wait': value });
      expect(run.exitCode).toBe(1);
      expect(failureMessage(run)).toBe(`input "max-retry-wait": ${message}`);
    }
  });
});
