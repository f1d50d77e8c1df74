// Following a deployment after the upload. The portal validates the bundle (PENDING,
// VALIDATING, then VALIDATED or FAILED); an AUTOMATIC deployment goes on to PUBLISHING and
// PUBLISHED, a USER_MANAGED one stays VALIDATED until someone publishes it in the portal.
// Publishing can take an hour or more; once VALIDATED, nothing the step waits for can still
// fail the deployment it uploaded, so a pipeline may stop waiting there (wait-until validated).
import type { Log } from '../log.js';
import { CentralPortalError, type CentralPortal } from './portal.js';
import type { DeploymentState, DeploymentStatus, PublishingType, WaitUntil } from './deployments.js';
import { DomainError } from '../errors.js';

export type DeploymentOutcome = 'waiting' | 'done' | 'failed';

export function deploymentOutcome(state: DeploymentState, publishingType: PublishingType, waitUntil: WaitUntil): DeploymentOutcome {
  if (state === 'FAILED') return 'failed';
  if (state === 'PUBLISHED') return 'done';
  if (state === 'VALIDATED' && publishingType === 'user-managed') return 'done';
  if ((state === 'VALIDATED' || state === 'PUBLISHING') && waitUntil === 'validated') return 'done';
  return 'waiting';
}

export interface PollSchedule {
  initialMs: number;
  maxMs: number;
}

// Validating a bundle takes seconds and publishing it minutes: look often at first, then every 15 s.
export const DEFAULT_POLL: PollSchedule = { initialMs: 500, maxMs: 15_000 };

/** Delay before status request `attempt` (counting from 1): growing linearly up to the cap. */
export function pollDelay(schedule: PollSchedule, attempt: number): number {
  return Math.min(schedule.maxMs, schedule.initialMs * attempt);
}

/** Central refused the deployment; `problems` are its validation errors. */
export class DeploymentFailedError extends DomainError {
  constructor(
    readonly deploymentId: string,
    readonly problems: string[],
  ) {
    const listed = problems.length > 0 ? problems.map((p) => `- ${p}`).join('\n') : '- (the portal gave no reason; see the deployment in the portal)';
    super(`Central Portal deployment ${deploymentId} FAILED validation; nothing of it was published:\n${listed}`);
  }
}

export interface WaitOptions {
  publishingType: PublishingType;
  waitUntil: WaitUntil;
  timeoutMs: number;
  poll: PollSchedule;
  log: Log;
}

/** Polls until the deployment is done (returned) or failed (thrown), at most `timeoutMs`. */
export async function waitForDeployment(portal: CentralPortal, deploymentId: string, options: WaitOptions): Promise<DeploymentStatus> {
  const deadline = Date.now() + options.timeoutMs;
  let lastState: DeploymentState | undefined;
  for (let attempt = 1; ; attempt++) {
    await sleep(Math.max(0, Math.min(pollDelay(options.poll, attempt), deadline - Date.now())));
    const status = await portal.status(deploymentId);
    if (status.deploymentState !== lastState) options.log.info(`deployment ${deploymentId}: ${status.deploymentState}`);
    lastState = status.deploymentState;
    const outcome = deploymentOutcome(status.deploymentState, options.publishingType, options.waitUntil);
    if (outcome === 'done') return status;
    if (outcome === 'failed') throw new DeploymentFailedError(deploymentId, status.errors);
    if (Date.now() >= deadline) {
      throw new CentralPortalError(
        `deployment ${deploymentId} is still ${status.deploymentState} after ${formatDuration(options.timeoutMs)}, the longest wait allowed for it; ` +
          `it may yet finish: see ${portal.url}/publishing/deployments. A re-run skips the components published by then.`,
        { kind: 'deployment-timeout' },
      );
    }
  }
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${ms / 1000} s`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
