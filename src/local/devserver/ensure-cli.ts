/** Makes sure the Temporal CLI is available (building it once with Go if need be) and prints its path. */
import { locateTemporalCli } from './temporal-cli.ts';

const path = await locateTemporalCli({ onProgress: (line) => process.stderr.write(`${line}\n`) });
if (path) {
  process.stdout.write(`${path}\n`);
} else {
  process.stderr.write("No Temporal CLI on PATH and no Go to build it: the SDK's cached download will be used.\n");
}
