// Build B of the rollout test: this checkout's workflow code with one deliberate change that is not replay-safe. Every
// activity the lifecycle schedules is preceded by a one-millisecond timer, so a history recorded by build A (activity
// scheduled where B starts a timer) would fail B's replay with a non-determinism error. Pinning must keep A's runs on
// A; the timers, with their summary, show which runs B ran.
import { sleep, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const BUILD_B_TIMER = 'build B: one more timer before each activity';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleActivity(input, next) {
        await sleep(1, { summary: BUILD_B_TIMER });
        return next(input);
      },
    },
  ],
});
