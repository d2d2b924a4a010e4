// Apart from commands.ts (and its schemas) so that the roles file's reader, which every client loads, stays light.

/** The Updates' names on the wire, in the CLI's order. */
export const COMMAND_NAMES = [
  'amend',
  'submit',
  'approve',
  'requestChanges',
  'reschedule',
  'sign',
  'decline',
  'extend',
  'replace',
  'confirmFunding',
  'enrol',
  'withdraw',
  'launch',
  'renew',
  'fulfil',
  'addObligation',
  'vary',
  'withdrawVariation',
  'complete',
  'cancel',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
