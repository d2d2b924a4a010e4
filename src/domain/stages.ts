/** The stages of an agreement, in lifecycle order; a module of its own so that the CLI's `--help` loads no zod. */
export const STAGES = [
  'draft',
  'approval',
  'signing',
  'funding',
  'cohort',
  'active',
  'completed',
  'cancelled',
] as const;
export type Stage = (typeof STAGES)[number];
export const FINAL_STAGES: readonly Stage[] = ['completed', 'cancelled'];
