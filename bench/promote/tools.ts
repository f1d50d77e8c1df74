// The copiers compared: promote-image (the committed bundle, started as the runner starts
// it), skopeo, crane and regctl, each given the same source digest and destination and
// its own credentials setup, with no state carried between runs (fresh HOME per run, so
// skopeo's blob-info cache cannot turn a cold copy into mounts).
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../test/support/paths.js';
import { node24 } from '../../test/support/node24.js';

export interface Endpoint {
  host: string;
  username: string;
  password: string;
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
        '--insecure-policy', 'copy', '--quiet', '--all', '--preserve-digests',
        '--src-tls-verify=false', '--dest-tls-verify=false',
        `--src-creds=${source.username}:${source.password}`, `--dest-creds=${destination.username}:${destination.password}`,
        `docker://${src}`, `docker://${dst}`,
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
    return { command: toolBin('crane'), args: ['copy', '--insecure', src, dst], env: { HOME: home, DOCKER_CONFIG: home } };
  },
};

export const regctl: Copier = {
  name: 'regctl',
  command(src, dst, endpoints) {
    const home = freshHome();
    mkdirSync(path.join(home, '.regctl'));
    const hosts = Object.fromEntries(endpoints.map((e) => [e.host, { tls: 'disabled', user: e.username, pass: e.password }]));
    writeFileSync(path.join(home, '.regctl/config.json'), JSON.stringify({ hosts }));
    return { command: toolBin('regctl'), args: ['image', 'copy', src, dst], env: { HOME: home } };
  },
};

/** The copiers present on this machine; promote-image and skopeo always are. */
export function availableCopiers(): { copiers: Copier[]; missing: string[] } {
  const optional = [crane, regctl].filter((c) => existsSync(toolBin(c.name)));
  return { copiers: [promoteImage, skopeo, ...optional], missing: [crane, regctl].filter((c) => !optional.includes(c)).map((c) => c.name) };
}
