// The stand-in's bundle validation, written apart from the action's own checks so that it
// judges them rather than repeats them. It follows Central's published requirements
// (https://central.sonatype.org/publish/requirements/ and publish-portal-upload/): every file
// signed (verified here against the public keys "on the key server") with .md5 and .sha1
// (.sha256 and .sha512 checked when present), a pom with the required elements, and for
// anything but pom packaging the sources and javadoc jars. Messages are worded like the portal's.
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { createMessage, readKey, readSignature, verify, type PublicKey } from 'openpgp';

export interface ValidatedComponent {
  purl: string;
  groupId: string;
  artifactId: string;
  version: string;
}

export interface BundleValidation {
  components: ValidatedComponent[];
  /** Every file of the bundle by its repository path. */
  files: Map<string, Buffer>;
  /** Problems by component purl ("common" for the bundle as a whole); empty when valid. */
  errors: Record<string, string[]>;
}

export interface ValidationContext {
  armoredPublicKeys: string[];
  /** Verified namespaces of the uploading account. */
  namespaces: string[];
  isPublished(purl: string): boolean;
}

const CHECKSUMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
const REQUIRED_CHECKSUMS = new Set(['md5', 'sha1']);

export async function validateBundle(zip: Buffer, context: ValidationContext): Promise<BundleValidation> {
  const files = new Map<string, Buffer>();
  try {
    for (const [name, bytes] of Object.entries(unzipSync(zip))) if (!name.endsWith('/')) files.set(name, Buffer.from(bytes));
  } catch (err) {
    return { components: [], files, errors: { common: [`Bundle is not a valid zip file: ${(err as Error).message}`] } };
  }
  const keys = await Promise.all(context.armoredPublicKeys.map((armoredKey) => readKey({ armoredKey })));
  const byDirectory = new Map<string, string[]>();
  for (const filePath of files.keys()) {
    const dir = filePath.slice(0, filePath.lastIndexOf('/'));
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), filePath.slice(dir.length + 1)]);
  }
  const components: ValidatedComponent[] = [];
  const errors: Record<string, string[]> = {};
  for (const [dir, names] of byDirectory) {
    const segments = dir.split('/');
    if (segments.length < 3) {
      (errors.common ??= []).push(`File ${dir}/${names[0]} is not in the Maven repository layout`);
      continue;
    }
    const version = segments.pop()!;
    const artifactId = segments.pop()!;
    const groupId = segments.join('.');
    const component = { purl: `pkg:maven/${groupId}/${artifactId}@${version}`, groupId, artifactId, version };
    components.push(component);
    const problems = await componentErrors(component, dir, names, files, keys, context);
    if (problems.length > 0) errors[component.purl] = problems;
  }
  if (components.length === 0 && !errors.common) errors.common = ['Bundle has no components'];
  return { components, files, errors };
}

async function componentErrors(
  component: ValidatedComponent,
  dir: string,
  names: string[],
  files: Map<string, Buffer>,
  keys: PublicKey[],
  context: ValidationContext,
): Promise<string[]> {
  const { groupId, artifactId, version, purl } = component;
  const problems: string[] = [];
  if (!context.namespaces.some((ns) => groupId === ns || groupId.startsWith(`${ns}.`))) problems.push(`Namespace '${groupId}' is not allowed`);
  if (context.isPublished(purl)) problems.push(`Component with package url: '${purl}' already exists`);

  const base = `${artifactId}-${version}`;
  const pom = files.get(`${dir}/${base}.pom`);
  if (!pom) problems.push(`Missing POM file: ${base}.pom`);
  else problems.push(...pomErrors(pom.toString('utf8'), component));
  const packaging = /<packaging>\s*([^<\s]+)\s*<\/packaging>/.exec(pom?.toString('utf8') ?? '')?.[1] ?? 'jar';
  if (packaging !== 'pom') {
    const mainExtension = packaging === 'aar' ? 'aar' : 'jar';
    if (!names.includes(`${base}.${mainExtension}`)) problems.push(`Missing main artifact: ${base}.${mainExtension}`);
    if (!names.includes(`${base}-sources.jar`)) problems.push('Sources must be provided but not found in entries');
    if (!names.includes(`${base}-javadoc.jar`)) problems.push('Javadocs must be provided but not found in entries');
  }

  for (const name of names.filter((n) => !/\.(asc|md5|sha1|sha256|sha512)$/.test(n))) {
    const bytes = files.get(`${dir}/${name}`)!;
    const signature = files.get(`${dir}/${name}.asc`);
    if (!signature) problems.push(`Missing signature for file: ${name}`);
    else if (!(await signatureVerifies(bytes, signature, keys))) problems.push(`Invalid signature for file: ${name}`);
    for (const algorithm of CHECKSUMS) {
      const checksum = files.get(`${dir}/${name}.${algorithm}`);
      if (!checksum) {
        if (REQUIRED_CHECKSUMS.has(algorithm)) problems.push(`Missing ${algorithm} checksum for file: ${name}`);
      } else if (checksum.toString('utf8').trim() !== createHash(algorithm).update(bytes).digest('hex')) {
        problems.push(`Invalid ${algorithm} checksum for file: ${name}`);
      }
    }
  }
  return problems;
}

async function signatureVerifies(bytes: Buffer, armoredSignature: Buffer, keys: PublicKey[]): Promise<boolean> {
  try {
    const { signatures } = await verify({
      message: await createMessage({ binary: bytes }),
      signature: await readSignature({ armoredSignature: armoredSignature.toString('utf8') }),
      verificationKeys: keys,
    });
    await signatures[0].verified;
    return true;
  } catch {
    return false;
  }
}

/** The required pom elements, read with patterns rather than a parser (the action has the parser). */
function pomErrors(pom: string, { groupId, artifactId, version }: ValidatedComponent): string[] {
  const text = pom.replace(/<!--[\s\S]*?-->/g, '');
  const section = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1] ?? '';
  const hasText = (xml: string, name: string) => new RegExp(`<${name}>\\s*[^<\\s][^<]*</${name}>`).test(xml);
  // The project's own elements: the pom without its nested sections.
  const project = text.replace(
    /<(parent|licenses|developers|contributors|scm|organization|issueManagement|ciManagement|build|dependencies|dependencyManagement|properties|profiles|repositories|pluginRepositories|distributionManagement|reporting|mailingLists)>[\s\S]*?<\/\1>/g,
    '',
  );
  const problems: string[] = [];
  const own = (name: string) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(project)?.[1] ?? '';
  const parent = section('parent');
  const inherited = (name: string) => own(name) || (new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(parent)?.[1] ?? '');
  if (inherited('groupId') !== groupId || own('artifactId') !== artifactId || inherited('version') !== version) {
    problems.push(`POM coordinates do not match the path ${groupId}:${artifactId}:${version}`);
  }
  if (!own('name')) problems.push('Project name is missing');
  if (!own('description')) problems.push('Project description is missing');
  if (!own('url')) problems.push('Project URL is not defined');
  if (!hasText(section('licenses'), 'name')) problems.push('License information is missing');
  if (!/<developer>[\s\S]*?<(name|id)>\s*[^<\s]/.test(section('developers'))) problems.push('Developers information is missing');
  if (!hasText(section('scm'), 'url')) problems.push('SCM URL is not defined');
  return problems;
}
