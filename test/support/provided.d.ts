// Values that test/support/global-setup.ts provides to every test file (read them with `inject`).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the Temporal dev server shared by the whole test run. */
    temporalAddress: string;
    /** The same server's HTTP API (TEMPORAL_HTTP_ADDRESS), empty where the server was reused rather than started. */
    temporalHttpUrl: string;
    /** The workflow bundle, built once per run. */
    workflowBundleCode: string;
  }
}
