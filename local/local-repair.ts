import type { FailureQueue } from '../functions/publishing/failure-queue';
import type { RedriveSummary } from '../functions/publishing/redrive';

/**
 * In AWS an alarm calls a person and a daily run redrives the failure queue. Locally nobody watches, so
 * the stack redrives its own: on every scheduler tick, when the failure file holds anything (a render
 * that failed through every retry, say while S3 was down), it repairs the site from the table and
 * empties the file once that succeeded. A repair that fails is simply tried again on the next tick.
 */
export class LocalRepairLoop {
  private running: Promise<void> | undefined;

  constructor(
    private readonly queue: FailureQueue,
    private readonly redrive: () => Promise<RedriveSummary>,
    private readonly log: (message: string) => void = (message) => console.error(message),
  ) {}

  /** Starts a repair unless one is running; `always` repairs even with an empty queue. */
  tick(always = false): void {
    this.running ??= this.run(always).finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the repair in progress, if any, has finished. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async run(always: boolean): Promise<void> {
    try {
      if (!always && (await this.queue.receiveAll()).length === 0) return;
      const { reports, acknowledged, repair } = await this.redrive();
      const changed = repair.actions.length;
      if (acknowledged < reports || repair.failures.length > 0) {
        this.log(
          `[repair] ${repair.failures.length} page(s) could not be repaired yet; trying again shortly`,
        );
      } else if (changed > 0 || reports > 0) {
        this.log(`[repair] repaired ${changed} page(s) from the table; ${reports} failure report(s) cleared`);
      }
    } catch (error) {
      this.log(
        `[repair] repair failed, trying again shortly: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
}
