// What promote-image refuses before it asks Docker Hub: texts over Docker Hub's limits,
// which count UTF-8 bytes (a dash or an accent is two or three), and repository names.
import { descriptionProblems } from '@ci-actions/publishing/dockerhub/description.js';

const repository = 'acme/server';

describe('descriptionProblems', () => {
  test.each([
    // [case, short description, full description, problems]
    ['100 ASCII characters', 'x'.repeat(100), undefined, []],
    ['101 ASCII characters', 'x'.repeat(101), undefined, ['the short description has 101 bytes; Docker Hub takes at most 100 bytes']],
    [
      '99 characters with an em dash: 101 bytes',
      `${'x'.repeat(49)}\u2014${'x'.repeat(49)}`,
      undefined,
      ['the short description has 101 bytes in UTF-8 (99 characters); Docker Hub takes at most 100 bytes'],
    ],
    ['50 accented letters: exactly 100 bytes', '\u00e9'.repeat(50), undefined, []],
    [
      '26 emoji: 104 bytes',
      '\u{1F433}'.repeat(26),
      undefined,
      ['the short description has 104 bytes in UTF-8 (26 characters); Docker Hub takes at most 100 bytes'],
    ],
    ['a README of 25,000 bytes', undefined, 'x'.repeat(25_000), []],
    ['a README of 24,999 characters, one of them 2 bytes', undefined, `${'x'.repeat(24_998)}\u00e9`, []],
    [
      'a README of 24,999 characters, one of them 3 bytes',
      undefined,
      `${'x'.repeat(24_998)}\u2014`,
      ['the full description has 25001 bytes in UTF-8 (24999 characters); Docker Hub takes at most 25000 bytes'],
    ],
  ] as [string, string | undefined, string | undefined, string[]][])('%s', (_case, description, fullDescription, problems) => {
    expect(
      descriptionProblems({ repository, ...(description !== undefined ? { description } : {}), ...(fullDescription !== undefined ? { fullDescription } : {}) }),
    ).toEqual(problems);
  });

  test('a repository that is not namespace/name', () => {
    expect(descriptionProblems({ repository: 'server', description: 'x' })).toEqual(['"server" is not a Docker Hub repository (namespace/name)']);
  });
});
