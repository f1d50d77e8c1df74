// One timed run of a command: wall time from our own clock, peak memory and CPU time
// (user + system) from GNU time.
import { execFileSync, spawn } from 'node:child_process';
import type { CopyCommand } from './tools.js';

export interface Measurement {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

export function measure(cmd: CopyCommand): Promise<Measurement> {
  // The registries store on disk: what earlier runs wrote is flushed now, not by the kernel's
  // writeback 30 s later in the middle of another tool's run.
  execFileSync('sync');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'peak-rss-kb=%M cpu=%U+%S', cmd.command, ...cmd.args], {
      env: { PATH: process.env.PATH ?? '', ...cmd.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /peak-rss-kb=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(output);
      if (code !== 0 || !rss) {
        reject(new Error(`${cmd.command} ${cmd.args.filter((a) => !a.includes('creds')).join(' ')} exited ${code}:\n${output.slice(-2000)}`));
        return;
      }
      resolve({ seconds, peakRssMb: Number(rss[1]) / 1024, cpuSeconds: Number(rss[2]) + Number(rss[3]) });
    });
  });
}
