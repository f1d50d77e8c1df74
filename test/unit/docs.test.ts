// The README reference generated from action.yml: parsing as written, Markdown that survives
// GitHub's renderer (table cells, HTML-looking text, code spans), the usage example, the
// rollback section, and the marked blocks in README.md.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  codeCell,
  DocsError,
  inlineText,
  markedBlocks,
  parseActionMetadata,
  renderActionDocs,
  renderRollback,
  replaceMarkedBlock,
  updateReadme,
  type ActionMetadata,
  type DocsOptions,
} from '../../tools/release/index.js';
import { readActions } from '../../scripts/docs.js';
import { repoRoot } from '../support/paths.js';

const OPTIONS: DocsOptions = { repository: '<owner>/ci-actions', ref: 'v1' };

const ACTION_YML = `name: 'ci-actions: demo'
description: >-
  Does a demo thing with <angle> brackets
  and a | pipe.
inputs:
  source:
    description: The image to copy.
    required: true
  version:
    description: A version.
    required: false
    default: 1.0
  token:
    description: |
      Token for the API.
      Second line with \`code | pipe\`.
    default: \${{ github.token }}
  empty:
    description: Empty by default.
    required: false
    default: ''
  none:
    description: No default at all.
  old:
    description: Old input.
    deprecationMessage: Use source.
outputs:
  digest:
    description: The digest.
runs:
  using: node24
  main: ../dist/demo/index.js
`;

function demo(): ActionMetadata {
  return parseActionMetadata('demo', ACTION_YML);
}

function row(block: string, name: string): string {
  return block.split('\n').find((line) => line.startsWith(`| \`${name}\` |`)) ?? '';
}

describe('parseActionMetadata', () => {
  test('reads inputs and outputs, with defaults exactly as written', () => {
    const action = demo();
    expect(action.description).toBe('Does a demo thing with <angle> brackets and a | pipe.');
    expect(action.inputs.map((i) => [i.name, i.required, i.default])).toEqual([
      ['source', true, undefined],
      ['version', false, '1.0'],
      ['token', false, '${{ github.token }}'],
      ['empty', false, ''],
      ['none', false, undefined],
      ['old', false, undefined],
    ]);
    expect(action.inputs[2].description).toBe('Token for the API.\nSecond line with `code | pipe`.');
    expect(action.inputs[5].deprecationMessage).toBe('Use source.');
    expect(action.outputs).toEqual([{ name: 'digest', description: 'The digest.' }]);
  });

  test.each([
    ['description: [1, 2]\n', 'demo/action.yml: description must be a string'],
    ['description: x\ninputs: [a]\n', 'demo/action.yml: inputs must be a mapping'],
    ['description: x\ninputs:\n  a: 1\n', 'demo/action.yml: inputs.a must be a mapping'],
    ['description: x\ninputs:\n  a:\n    description: y\n    required: maybe\n', 'inputs.a.required must be true or false, not maybe'],
    ['description: x\ninputs:\n  a:\n    required: true\n', 'inputs.a.description must be a string'],
    ['- a list\n', 'demo/action.yml: expected a mapping'],
    ['description: "unclosed\n', 'demo/action.yml: '],
  ])('a broken action.yml names the file and the key: %j', (text, message) => {
    expect(() => parseActionMetadata('demo', text)).toThrow(DocsError);
    expect(() => parseActionMetadata('demo', text)).toThrow(message);
  });
});

describe('Markdown escaping', () => {
  test.each([
    ['a | b', 'a \\| b'],
    ['needs.<tests>.result', 'needs.&lt;tests&gt;.result'],
    ['pull_request* events', 'pull_request\\* events'],
    ['line one\nline two\n', 'line one<br>line two'],
    ['keeps `a | b` and `<x>` as code', 'keeps `a \\| b` and `<x>` as code'],
    ['a \\* literal backslash', 'a \\\\\\* literal backslash'],
    ['&lt; stays text', '&amp;lt; stays text'],
    ['AT&T', 'AT&T'],
  ])('inlineText(%j)', (text, markdown) => {
    expect(inlineText(text)).toBe(markdown);
  });

  test.each([
    ['', "`''`"],
    ['config/publishing-config.yml', '`config/publishing-config.yml`'],
    ['${{ github.event.head_commit.message }}', '`${{ github.event.head_commit.message }}`'],
    ['a|b', '`a\\|b`'],
    ['a `tick` inside', '``a `tick` inside``'],
    ['ends with `tick`', '`` ends with `tick` ``'],
    ['`edge`', '`` `edge` ``'],
    ['two ``` runs `', '```` two ``` runs ` ````'],
    [' padded ', '`  padded  `'],
    ['  ', '`  `'],
    ['two\nlines', '`two`<br>`lines`'],
    ['a\n\nb', '`a`<br><br>`b`'],
  ])('codeCell(%j)', (value, markdown) => {
    expect(codeCell(value)).toBe(markdown);
  });
});

describe('renderActionDocs', () => {
  const block = renderActionDocs(demo(), OPTIONS);

  test('heading, escaped description, a usage example with the required inputs', () => {
    expect(block).toContain('### demo\n\nDoes a demo thing with &lt;angle&gt; brackets and a \\| pipe.\n');
    expect(block).toContain('```yaml\n- id: demo\n  uses: <owner>/ci-actions/demo@v1\n  with:\n    source: <source>\n```');
    const example = block.slice(block.indexOf('```yaml') + 8, block.lastIndexOf('```'));
    expect(parse(example)).toEqual([{ id: 'demo', uses: '<owner>/ci-actions/demo@v1', with: { source: '<source>' } }]);
  });

  test('the inputs table: required, defaults verbatim, empty and absent defaults told apart', () => {
    expect(block).toContain('| Input | Required | Default | Description |\n|---|---|---|---|\n');
    expect(row(block, 'source')).toBe('| `source` | yes |  | The image to copy. |');
    expect(row(block, 'version')).toBe('| `version` | no | `1.0` | A version. |');
    expect(row(block, 'token')).toBe('| `token` | no | `${{ github.token }}` | Token for the API.<br>Second line with `code \\| pipe`. |');
    expect(row(block, 'empty')).toBe("| `empty` | no | `''` | Empty by default. |");
    expect(row(block, 'none')).toBe('| `none` | no |  | No default at all. |');
    expect(row(block, 'old')).toBe('| `old` | no |  | Old input. **Deprecated:** Use source. |');
  });

  test('every table row has as many cells as its header', () => {
    for (const line of block.split('\n').filter((l) => l.startsWith('|'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      expect([2, 4]).toContain(cells);
      expect(line).not.toContain('\n');
    }
  });

  test('the outputs table, and "None." for an action without inputs or outputs', () => {
    expect(block).toContain('#### Outputs\n\n| Output | Description |\n|---|---|\n| `digest` | The digest. |');
    const bare = renderActionDocs(parseActionMetadata('bare', 'description: Nothing.\nruns:\n  using: node24\n'), OPTIONS);
    expect(bare).toContain('#### Inputs\n\nNone.\n\n#### Outputs\n\nNone.');
    expect(bare).toContain('```yaml\n- id: bare\n  uses: <owner>/ci-actions/bare@v1\n```');
  });

  test('example values replace placeholders; an example for an unknown input is an error', () => {
    const withExample = renderActionDocs(demo(), {
      ...OPTIONS,
      examples: { demo: { source: 'ghcr.io/acme/app@${{ needs.build.outputs.digest }}', version: '2.0' } },
    });
    expect(withExample).toContain('    source: ghcr.io/acme/app@${{ needs.build.outputs.digest }}\n    version: "2.0"\n');
    expect(() => renderActionDocs(demo(), { ...OPTIONS, examples: { demo: { sauce: 'x' } } })).toThrow(
      'the usage example of demo sets input sauce, which demo/action.yml does not have',
    );
  });
});

describe('renderRollback', () => {
  const promote = () => parseActionMetadata('promote-image', readFileSync(path.join(repoRoot, 'promote-image', 'action.yml'), 'utf8'));

  test('pinning a previous release or sha, and promote-image putting a previous digest back', () => {
    const text = renderRollback([promote()], OPTIONS);
    expect(text).toContain('- uses: <owner>/ci-actions/promote-image@v1.4.1\n');
    expect(text).toMatch(/promote-image@[0-9a-f]{40} # v1\.4\.1/);
    expect(text).toContain('`previous-digests`');
    expect(text).toContain('    source: docker.io/acme/app@sha256:<previous digest>\n    destination: docker.io/acme/app:latest\n');
    expect(text).toContain('nothing is downloaded or uploaded');
  });

  test('fails when promote-image no longer has what the section names', () => {
    const renamed = promote();
    renamed.outputs = renamed.outputs.filter((o) => o.name !== 'previous-digests');
    expect(() => renderRollback([renamed], OPTIONS)).toThrow(
      "the rollback section uses promote-image's output previous-digests, which promote-image/action.yml no longer has",
    );
    expect(() => renderRollback([], OPTIONS)).toThrow('there is no promote-image/action.yml');
  });
});

describe('marked blocks', () => {
  const readme = 'intro\n\n<!-- x:start -->\nold\nlines\n<!-- x:end -->\n\noutro\n';

  test('replaces what is between the markers, and nothing else; again gives the same text', () => {
    const once = replaceMarkedBlock(readme, 'x', 'new\n');
    expect(once).toBe('intro\n\n<!-- x:start -->\nnew\n<!-- x:end -->\n\noutro\n');
    expect(replaceMarkedBlock(once, 'x', 'new')).toBe(once);
    expect(replaceMarkedBlock('<!-- x:start -->\n<!-- x:end -->\n', 'x', 'a')).toBe('<!-- x:start -->\na\n<!-- x:end -->\n');
  });

  test.each([
    ['intro\n', 'README.md lacks the markers: add <!-- x:start --> and <!-- x:end -->, each on a line of its own'],
    ['<!-- x:start -->\n', 'README.md lacks the marker <!-- x:end -->'],
    ['<!-- x:end -->\n', 'README.md lacks the marker <!-- x:start -->'],
    ['<!-- x:end -->\n<!-- x:start -->\n', 'README.md has <!-- x:end --> before <!-- x:start -->'],
    ['<!-- x:start -->\n<!-- x:end -->\n<!-- x:start -->\n<!-- x:end -->\n', 'more than once'],
    ['text <!-- x:start --> inline\n<!-- x:end -->\n', 'README.md lacks the marker <!-- x:start -->'],
  ])('bad markers are clear errors: %j', (text, message) => {
    expect(() => replaceMarkedBlock(text, 'x', 'new')).toThrow(DocsError);
    expect(() => replaceMarkedBlock(text, 'x', 'new')).toThrow(message);
  });

  test('markedBlocks lists the start markers in order', () => {
    expect(markedBlocks('<!-- b:start -->\n<!-- b:end -->\n<!-- action-docs:a:start -->\n<!-- action-docs:a:end -->\n')).toEqual(['b', 'action-docs:a']);
  });
});

describe('updateReadme', () => {
  const promote = parseActionMetadata('promote-image', readFileSync(path.join(repoRoot, 'promote-image', 'action.yml'), 'utf8'));
  const actions = [demo(), promote];
  const skeleton = [
    '# x',
    '',
    '<!-- action-docs:demo:start -->',
    '<!-- action-docs:demo:end -->',
    '<!-- action-docs:promote-image:start -->',
    '<!-- action-docs:promote-image:end -->',
    '## Rollback',
    '<!-- rollback:start -->',
    '<!-- rollback:end -->',
    'end',
    '',
  ].join('\n');

  test('fills every block, reports which changed, and is stable', () => {
    const first = updateReadme(skeleton, actions, OPTIONS);
    expect(first.changed).toEqual(['action-docs:demo', 'action-docs:promote-image', 'rollback']);
    expect(first.text.startsWith('# x\n\n<!-- action-docs:demo:start -->\n<!-- generated from demo/action.yml')).toBe(true);
    expect(first.text.endsWith('<!-- rollback:end -->\nend\n')).toBe(true);
    expect(updateReadme(first.text, actions, OPTIONS)).toEqual({ text: first.text, changed: [] });
    const edited = first.text.replace('The image to copy.', 'A hand edit.');
    expect(updateReadme(edited, actions, OPTIONS).changed).toEqual(['action-docs:demo']);
  });

  test('an action without markers, or markers without an action, is an error', () => {
    expect(() => updateReadme(skeleton, [...actions, parseActionMetadata('new-one', 'description: x\n')], OPTIONS)).toThrow(
      'README.md lacks the markers: add <!-- action-docs:new-one:start --> and <!-- action-docs:new-one:end -->',
    );
    expect(() => updateReadme(skeleton, [promote], OPTIONS)).toThrow('README.md has blocks for action-docs:demo, which no action.yml generates');
    expect(() => updateReadme('# empty\n', actions, OPTIONS)).toThrow(
      /README\.md lacks the markers of 3 blocks: .*\n {2}<!-- action-docs:demo:start -->\n {2}<!-- action-docs:demo:end -->\n/,
    );
  });
});

describe("the repository's own action.yml files", () => {
  test('every one parses and renders', async () => {
    const actions = await readActions(repoRoot);
    expect(actions.map((a) => a.id)).toEqual(expect.arrayContaining(['generate-version', 'load-config', 'promote-image']));
    for (const action of actions) expect(renderActionDocs(action, OPTIONS)).toContain(`### ${action.id}\n`);
  });
});
