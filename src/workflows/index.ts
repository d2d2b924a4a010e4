// The module the worker bundles: every workflow type it serves.
export { agreementLifecycle } from './agreement-lifecycle.ts';
export { agreementsDigest } from './digest.ts';
