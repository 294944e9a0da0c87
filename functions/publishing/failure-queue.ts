/**
 * The failure queue port: where changes that could not be rendered are reported (in AWS, the stream's
 * on-failure destination, an SQS queue; locally a file in DATA_DIR), and where the render function
 * leaves CloudFront invalidations it could not make. Redrive reads it, repairs the site from the table,
 * makes the pending invalidations and only then removes what it read.
 */

export interface FailureReport {
  /** Opaque handle to remove the message once it has been dealt with. */
  readonly receipt: string;
  /** Paths still to invalidate, when the report is a deferred invalidation. */
  readonly pendingInvalidations: readonly string[];
}

export interface FailureQueue {
  /** Keeps invalidations that failed after every retry, for redrive. */
  deferInvalidations(paths: readonly string[]): Promise<void>;
  /** Every report in the queue now, hidden from other readers while redrive works. */
  receiveAll(): Promise<readonly FailureReport[]>;
  /** Removes reports that have been dealt with. */
  acknowledge(reports: readonly FailureReport[]): Promise<void>;
}
