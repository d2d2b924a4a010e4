// The workflow module the benchmark's worker bundles.
export { agreementLifecycle } from '../../src/workflows/index.ts';
export { baselineWorkflow } from './baseline.ts';
