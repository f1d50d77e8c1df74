// The pom checks Maven Central makes before it takes a component
// (https://central.sonatype.org/publish/requirements/): coordinates matching the repository
// path, and the project's name, description, url, licenses, developers and scm.
import type { Coordinates } from './coordinates.js';
import { childElement, childElements, childText, parseXml, type XmlElement } from './xml.js';

export interface PomCheck {
  /** The pom's packaging (jar when it declares none), which decides the files required. */
  packaging: string;
  problems: string[];
}

export function checkPom(xml: string, expected: Coordinates): PomCheck {
  let project: XmlElement;
  try {
    project = parseXml(xml);
  } catch (err) {
    return { packaging: 'jar', problems: [`not well-formed XML: ${(err as Error).message}`] };
  }
  if (project.name !== 'project') return { packaging: 'jar', problems: [`the root element is <${project.name}>, not <project>`] };

  const problems: string[] = [];
  // groupId and version may be inherited from the parent; artifactId never is.
  const parent = childElement(project, 'parent');
  const actual: Coordinates = {
    groupId: childText(project, 'groupId') || childText(parent, 'groupId'),
    artifactId: childText(project, 'artifactId'),
    version: childText(project, 'version') || childText(parent, 'version'),
  };
  for (const key of ['groupId', 'artifactId', 'version'] as const) {
    if (actual[key] !== expected[key]) problems.push(`${key} is ${actual[key] ? `"${actual[key]}"` : 'missing'}, expected "${expected[key]}" as in its path`);
  }
  for (const element of ['name', 'description', 'url'] as const) {
    if (!childText(project, element)) problems.push(`<${element}> is missing or empty`);
  }
  const licenses = childElements(childElement(project, 'licenses'), 'license');
  if (!licenses.some((license) => childText(license, 'name'))) problems.push('<licenses> has no <license> with a <name>');
  const developers = childElements(childElement(project, 'developers'), 'developer');
  if (!developers.some((developer) => childText(developer, 'name') || childText(developer, 'id')))
    problems.push('<developers> has no <developer> with a <name> or <id>');
  const scm = childElement(project, 'scm');
  if (!childText(scm, 'url')) problems.push(scm ? '<scm> has no <url>' : '<scm> is missing');
  return { packaging: childText(project, 'packaging') || 'jar', problems };
}
