// The event that started the run, as the runner describes it. Read from the runner's files and
// variables directly: @actions/github's context would load its HTTP client with it.
import { readFileSync } from 'node:fs';

/** The webhook payload of the event that started the run (GITHUB_EVENT_PATH); undefined outside a runner. */
export function eventPayload(): unknown {
  const file = process.env.GITHUB_EVENT_PATH;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
}
