#!/usr/bin/env node
// Runs the TypeScript CLI directly: Node strips the types itself (Node 22.18+, 24), so `agreements` works right after
// `npm ci` with no build step and no loader. The compile cache keeps the stripped and compiled modules between runs.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../src/client/cli.ts');
process.exitCode = await main(process.argv.slice(2));
