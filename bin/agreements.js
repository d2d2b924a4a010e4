#!/usr/bin/env node
// Runs the TypeScript CLI directly (through tsx), so `agreements` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/client/cli.ts');
process.exitCode = await main(process.argv.slice(2));
