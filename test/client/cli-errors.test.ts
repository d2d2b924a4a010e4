import { describe, expect, it } from 'vitest';
import { workflowTaskFailing } from '../../src/client/errors.ts';

describe('the line for an agreement whose workflow task keeps failing', () => {
  const context = { agreementId: 'uob-jitri-phd-programme', command: false };

  it('names a deploy that no longer replays the history when the cause is non-determinism', () => {
    const error = workflowTaskFailing({
      ...context,
      failing: {
        attempt: 7,
        cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR',
        message: '[TMPRL1100] Nondeterminism error: …\nmore',
      },
    });
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      'agreement "uob-jitri-phd-programme" is not answering: its workflow task keeps failing (attempt 7): ' +
        "the worker's code no longer replays its history (a deploy changed the workflow without a patch) " +
        '("[TMPRL1100] Nondeterminism error: …"). An operator should look at the workflow in the Temporal UI and the worker\'s log.',
    );
  });

  it('leaves out what it does not know, and says a command may still apply', () => {
    const error = workflowTaskFailing({ ...context, command: true, failing: {} });
    expect(error.message).toContain(
      'is not answering: its workflow task keeps failing: the worker cannot run its workflow code. An operator',
    );
    expect(error.message).toMatch(
      /The command may still apply once that is fixed: check with agreements show uob-jitri-phd-programme$/,
    );
  });
});
