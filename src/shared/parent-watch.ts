/**
 * Calls `onOrphaned` once when this process's parent goes away. `kill <npm pid>` ends npm without passing the signal
 * on to the script it runs, which would otherwise keep running, orphaned, with every part it started.
 */
export function whenParentExits(onOrphaned: () => void, everyMs = 1000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, everyMs);
  timer.unref();
}
