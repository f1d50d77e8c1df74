import * as core from '@actions/core';
import type { Log } from '../log.js';

/** The core's log, written to the step's log. */
export const actionLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};

/** dataaxiom/ghcr-cleanup-action's log-level values, least shown first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The step's log at a log level: error shows only the failure (thrown, not logged), warn
 * adds warnings, info adds progress (the default), debug adds the detail that otherwise
 * shows only when the run is re-run with step debug logging.
 */
export function leveledLog(level: LogLevel): Log {
  const shown = LOG_LEVELS.indexOf(level);
  return {
    info: (m) => shown >= LOG_LEVELS.indexOf('info') && core.info(m),
    warning: (m) => shown >= LOG_LEVELS.indexOf('warn') && core.warning(m),
    debug: (m) => (shown >= LOG_LEVELS.indexOf('debug') ? core.info(`debug: ${m}`) : core.debug(m)),
  };
}
