// Ref names as `git check-ref-format` judges them, so a name is refused before git is asked
// to make it (a tag git refuses would fail the step after the version was decided).

/**
 * Why git would refuse `ref` (a full name such as refs/tags/v1.0.42), or undefined when it
 * takes it. The rules of git-check-ref-format(1), without --allow-onelevel or --normalize.
 */
export function refFormatProblem(ref: string): string | undefined {
  const forbidden = /[\x00-\x20\x7f~^:?*[\\]/.exec(ref);
  if (forbidden) return `contains ${JSON.stringify(forbidden[0])}`;
  if (ref === '@') return 'is "@"';
  if (ref.includes('@{')) return 'contains "@{"';
  if (ref.includes('..')) return 'contains ".."';
  if (ref.endsWith('.')) return 'ends with "."';
  if (!ref.includes('/')) return 'has a single component (git wants at least refs/<name>)';
  for (const component of ref.split('/')) {
    if (component === '') return 'has an empty component (a leading, trailing or doubled "/")';
    if (component.startsWith('.')) return `has a component starting with "." (${component})`;
    if (component.endsWith('.lock')) return `has a component ending with ".lock" (${component})`;
  }
  return undefined;
}
