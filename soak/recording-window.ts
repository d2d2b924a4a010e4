import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How long each mail stayed accepted by the SMTP server but not yet written down as sent (the window in which a
 * killed worker sends it again), from the `recordedInMs` of the workers' `mail sent` log lines.
 */
export interface RecordingWindow {
  mails: number;
  p50: number;
  p99: number;
  max: number;
}

/** The window's figures over every `worker-<n>.log` in `dir`; zeros when no line carries it. */
export async function recordingWindow(dir: string): Promise<RecordingWindow> {
  const files = (await readdir(dir)).filter((name) => /^worker-\d+\.log$/.test(name));
  const windows: number[] = [];
  for (const file of files) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (!line.includes('"recordedInMs"')) continue;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; recordedInMs?: unknown };
        if (entry.msg === 'mail sent' && typeof entry.recordedInMs === 'number') windows.push(entry.recordedInMs);
      } catch {
        // A line cut short by SIGKILL.
      }
    }
  }
  windows.sort((a, b) => a - b);
  const at = (share: number) => windows[Math.min(windows.length - 1, Math.floor(share * windows.length))] ?? 0;
  return { mails: windows.length, p50: at(0.5), p99: at(0.99), max: windows.at(-1) ?? 0 };
}
