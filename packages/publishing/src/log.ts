// What the core tells a person. Actions pass one backed by @actions/core (so lines land
// in the step log and groups); benchmarks and tests pass their own.
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export const silentLog: Log = { info: () => {}, warning: () => {}, debug: () => {} };
