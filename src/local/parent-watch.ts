/**
 * Resolves once this process's parent goes away: npm ended without passing a signal on (SIGKILLed, crashed, or a
 * signal it did not forward), and the script it ran would otherwise keep running, orphaned, with every part it started.
 * Watch from the first line: the parent may go while the script is still starting.
 */
export function parentExited(everyMs = 1000): Promise<void> {
  const parent = process.ppid;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(timer);
      resolve();
    }, everyMs);
    timer.unref();
  });
}
