export { MAX_CONFIG_BYTES, parseConfig } from './load.js';
export { configOutputs, imageRepositories, UnknownImageError, type ImageRepositories } from './outputs.js';
export { ConfigError, formatProblem, type ConfigProblem } from './problems.js';
export type * from './types.js';
