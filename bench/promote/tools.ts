// The copiers compared: promote-image (the committed bundle, started as the runner starts
// it), skopeo, crane and regctl, each given the same source digest and destination and
// its own credentials setup, with no state carried between runs (fresh HOME per run, so
// skopeo's blob-info cache cannot turn a cold copy into mounts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../test/support/paths.js';
import { node24 } from '../../test/support/node24.js';

export interface Endpoint {
  host: string;
  username: string;
  password: string;
  /** Served over TLS with a certificate of this CA (bench/promote-wan); plain HTTP without. */
  ca?: { path: string; dir: string };
}

export interface CopyCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Where promote-image writes its outputs (GITHUB_OUTPUT). */
  outputFile?: string;
}

export interface Copier {
  name: string;
  /** src: host/repo@digest, dst: host/repo:tag. */
  command(src: string, dst: string, endpoints: Endpoint[]): CopyCommand;
}

const toolBin = (name: string) => path.join(repoRoot, '.tools/bin', name);
const freshHome = () => mkdtempSync(path.join(tmpdir(), 'bench-home-'));

export const promoteImage: Copier = {
  name: 'promote-image',
  command(src, dst, endpoints) {
    const home = freshHome();
    const output = path.join(home, 'output');
    writeFileSync(output, '');
    const source = endpoints.find((e) => src.startsWith(e.host))!;
    const destination = endpoints.find((e) => dst.startsWith(e.host))!;
    return {
      command: node24(),
      args: [path.join(repoRoot, 'dist/promote-image/index.js')],
      env: {
        HOME: home,
        GITHUB_OUTPUT: output,
        INPUT_SOURCE: src,
        INPUT_DESTINATION: dst,
        'INPUT_SOURCE-USERNAME': source.username,
        'INPUT_SOURCE-PASSWORD': source.password,
        'INPUT_DESTINATION-USERNAME': destination.username,
        'INPUT_DESTINATION-PASSWORD': destination.password,
        INPUT_CONCURRENCY: '4',
        ...caFile('NODE_EXTRA_CA_CERTS', endpoints),
      },
      outputFile: output,
    };
  },
};

export const skopeo: Copier = {
  name: 'skopeo',
  command(src, dst, endpoints) {
    const source = endpoints.find((e) => src.startsWith(e.host))!;
    const destination = endpoints.find((e) => dst.startsWith(e.host))!;
    return {
      command: 'skopeo',
      args: [
        '--insecure-policy',
        'copy',
        '--quiet',
        '--all',
        '--preserve-digests',
        ...(source.ca ? [`--src-cert-dir=${source.ca.dir}`] : ['--src-tls-verify=false']),
        ...(destination.ca ? [`--dest-cert-dir=${destination.ca.dir}`] : ['--dest-tls-verify=false']),
        `--src-creds=${source.username}:${source.password}`,
        `--dest-creds=${destination.username}:${destination.password}`,
        `docker://${src}`,
        `docker://${dst}`,
      ],
      env: { HOME: freshHome() },
    };
  },
};

export const crane: Copier = {
  name: 'crane',
  command(src, dst, endpoints) {
    const home = freshHome();
    const auths = Object.fromEntries(endpoints.map((e) => [e.host, { auth: Buffer.from(`${e.username}:${e.password}`).toString('base64') }]));
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ auths }));
    const tls = endpoints.some((e) => e.ca);
    return {
      command: toolBin('crane'),
      args: ['copy', ...(tls ? [] : ['--insecure']), src, dst],
      env: { HOME: home, DOCKER_CONFIG: home, ...caFile('SSL_CERT_FILE', endpoints) },
    };
  },
};

export const regctl: Copier = {
  name: 'regctl',
  command(src, dst, endpoints) {
    const home = freshHome();
    mkdirSync(path.join(home, '.regctl'));
    const hosts = Object.fromEntries(
      endpoints.map((e) => [
        e.host,
        { tls: e.ca ? 'enabled' : 'disabled', ...(e.ca ? { regcert: readFileSync(e.ca.path, 'utf8') } : {}), user: e.username, pass: e.password },
      ]),
    );
    writeFileSync(path.join(home, '.regctl/config.json'), JSON.stringify({ hosts }));
    return { command: toolBin('regctl'), args: ['image', 'copy', src, dst], env: { HOME: home } };
  },
};

/** The CA the endpoints' TLS certificates come from, in the variable a tool reads it from. */
function caFile(variable: string, endpoints: Endpoint[]): Record<string, string> {
  const ca = endpoints.find((e) => e.ca)?.ca;
  return ca ? { [variable]: ca.path } : {};
}

/** The copiers present on this machine; promote-image and skopeo always are. */
export function availableCopiers(): { copiers: Copier[]; missing: string[] } {
  const optional = [crane, regctl].filter((c) => existsSync(toolBin(c.name)));
  return { copiers: [promoteImage, skopeo, ...optional], missing: [crane, regctl].filter((c) => !optional.includes(c)).map((c) => c.name) };
}
