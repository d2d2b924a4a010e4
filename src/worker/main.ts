// `npm run worker` (and the image's CMD): the compile cache first, so that a worker restarted by its supervisor finds
// its modules stripped and compiled already (module.enableCompileCache must run before they are imported).
import module from 'node:module';

module.enableCompileCache?.();
await import('./run-main.ts');
