export { runAction, setOutputs } from './run.js';
export { writeSummaryTable } from './summary.js';
export {
  addressInput,
  addressListInput,
  booleanInput,
  credentialInputsOf,
  credentialsInput,
  attributeToInput,
  InputError,
  type InputFor,
  integerInput,
  listInput,
  namingInputs,
  parsedInput,
  retryPolicyInput,
  secretInput,
  stringInput,
} from './inputs.js';
export { actionLog } from './log.js';
