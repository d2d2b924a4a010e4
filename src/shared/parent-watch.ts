/**
 * Calls `onOrphaned` once when this process's parent goes away: npm ended without passing a signal on (SIGKILLed,
 * crashed, or a signal it did not forward), and the script it ran would otherwise keep running, orphaned, with every
 * part it started.
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
