import * as core from '@actions/core';
import type { Log } from '../log.js';

/** The core's log, written to the step's log. */
export const actionLog: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};
