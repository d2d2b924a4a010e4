/** An agreement's workflow id (wire contract, spec §4); apart from contract.ts so light readers need no SDK import. */
const WORKFLOW_ID_PREFIX = 'agreement-';

export const workflowIdFor = (agreementId: string): string => `${WORKFLOW_ID_PREFIX}${agreementId}`;

/** The agreement id of a lifecycle's workflow id (an id without the prefix is returned as it is). */
export const agreementIdFor = (workflowId: string): string =>
  workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : workflowId;

/** The name of the Query that answers with the state `show --json` prints. */
export const STATE_QUERY = 'state';
