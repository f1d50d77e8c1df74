// How a release pins the stage gate's references to the suite (release/workflow-pins.ts).
import { newestReleaseTag, pinProblems, pinSuiteReferences, suiteReferences } from '../../tools/release/index.js';

const ACTIONS = ['load-config', 'promote-image'];

describe('suiteReferences', () => {
  test.each([
    ['a step', '      - uses: acme/ci-actions/load-config@v1', [{ line: 1, repository: 'acme/ci-actions', path: 'load-config', ref: 'v1' }]],
    [
      'quoted, with a comment',
      `    uses: "acme/ci-actions/promote-image@v1.2.3" # pinned`,
      [{ line: 1, repository: 'acme/ci-actions', path: 'promote-image', ref: 'v1.2.3' }],
    ],
    [
      'under another owner',
      '  uses: other-org/ci-actions/load-config@0123abc',
      [{ line: 1, repository: 'other-org/ci-actions', path: 'load-config', ref: '0123abc' }],
    ],
    ['a third-party action', '      - uses: actions/checkout@3d3c42e5 # v7', []],
    ['a folder that is not one of the actions', '      - uses: acme/ci-actions/.github/workflows/stage-gate.yml@v1', []],
    ['a local action', '      - uses: ./load-config', []],
    ['text that merely mentions it', '# the gate uses acme/ci-actions/load-config@v1 like this', []],
  ])('%s', (_, text, expected) => {
    expect(suiteReferences(text, ACTIONS)).toEqual(expected);
  });
});

describe('pinSuiteReferences', () => {
  test('moves every reference of the suite to the ref and changes nothing else', () => {
    const text = [
      'steps:',
      '  - uses: actions/checkout@3d3c42e5 # v7.0.1',
      '  - uses: acme/ci-actions/load-config@v1',
      '  - uses: "acme/ci-actions/promote-image@v1" # the copy',
      '    with: { source: acme/ci-actions/promote-image@v1 }',
      '',
    ].join('\n');
    expect(pinSuiteReferences(text, ACTIONS, 'v1.4.2')).toBe(
      [
        'steps:',
        '  - uses: actions/checkout@3d3c42e5 # v7.0.1',
        '  - uses: acme/ci-actions/load-config@v1.4.2',
        '  - uses: "acme/ci-actions/promote-image@v1.4.2" # the copy',
        '    with: { source: acme/ci-actions/promote-image@v1 }',
        '',
      ].join('\n'),
    );
  });

  test('pinning again to the same ref changes nothing', () => {
    const pinned = pinSuiteReferences('  - uses: acme/ci-actions/load-config@v1\n', ACTIONS, 'v2.0.0');
    expect(pinSuiteReferences(pinned, ACTIONS, 'v2.0.0')).toBe(pinned);
  });
});

describe('pinProblems', () => {
  const gate = (ref: string, other = ref) => `  - uses: acme/ci-actions/load-config@${ref}\n  - uses: acme/ci-actions/promote-image@${other}\n`;
  test.each([
    ['all at the expected release', gate('v1.4.2'), 'v1.4.2', []],
    [
      'one left behind',
      gate('v1.4.2', 'v1'),
      'v1.4.2',
      ['gate.yml:2: acme/ci-actions/promote-image@v1 should be @v1.4.2: the gate runs the actions of its own release (npm run release pins them)'],
    ],
    [
      'a moving major tag after a release',
      gate('v1'),
      'v1.4.2',
      expect.arrayContaining([expect.stringContaining('gate.yml:1: acme/ci-actions/load-config@v1 should be @v1.4.2')]),
    ],
    ['no reference at all', '  - uses: actions/checkout@v4\n', 'v1', ["gate.yml names none of the suite's actions (load-config, promote-image)"]],
  ])('%s', (_, text, expected, problems) => {
    expect(pinProblems('gate.yml', text, ACTIONS, expected)).toEqual(problems);
  });
});

describe('newestReleaseTag', () => {
  test.each([
    ['no release yet', '# Changelog\n\nEvery release of the suite.\n', undefined],
    ['the first section is the newest', '# Changelog\n\n## v1.2.0 (2026-01-02)\n\n- b\n\n## v1.1.0 (2025-12-01)\n\n- a\n', 'v1.2.0'],
    ['a heading that is not a release', '# Changelog\n\n## Unreleased\n\n## v0.9.1\n', 'v0.9.1'],
  ])('%s', (_, text, expected) => {
    expect(newestReleaseTag(text)).toBe(expected);
  });
});
