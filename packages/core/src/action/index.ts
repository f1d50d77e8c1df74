export { runAction, setOutputs } from './run.js';
export { writeSummaryTable } from './summary.js';
