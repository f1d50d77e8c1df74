export { runAction, setOutputs } from './run.js';
export { writeSummaryTable } from './summary.js';
export {
  addressInput,
  addressListInput,
  booleanInput,
  credentialsInput,
  InputError,
  integerInput,
  listInput,
  parsedInput,
  retryPolicyInput,
  secretInput,
  stringInput,
} from './inputs.js';
export { actionLog } from './log.js';
export { eventPayload } from './event.js';
