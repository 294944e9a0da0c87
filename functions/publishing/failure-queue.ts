import type { Article } from '../domain/article';

/**
 * The failure queue port: where changes that could not be rendered are reported (in AWS, the stream's
 * on-failure destination, an SQS queue; locally a file in DATA_DIR), and where the render function
 * leaves CloudFront invalidations it could not make. Redrive reads it, repairs the site from the table,
 * makes the pending invalidations, announces the changes the render function never announced, and only
 * then removes what it read.
 */

/** One change of an article, as the table's stream carries it. */
export interface ArticleChange {
  readonly oldImage?: Article;
  readonly newImage?: Article;
}

export interface FailureReport {
  /** Opaque handle to remove the message once it has been dealt with. */
  readonly receipt: string;
  /** Paths still to invalidate, when the report is a deferred invalidation. */
  readonly pendingInvalidations: readonly string[];
  /** The report as the queue holds it: only the queue that gave it out reads it (`failedChanges`). */
  readonly body?: string;
}

export interface FailureQueue {
  /** Keeps invalidations that failed after every retry, for redrive. */
  deferInvalidations(paths: readonly string[]): Promise<void>;
  /** Every report in the queue now, hidden from other readers while redrive works. */
  receiveAll(): Promise<readonly FailureReport[]>;
  /** Removes reports that have been dealt with. */
  acknowledge(reports: readonly FailureReport[]): Promise<void>;
  /**
   * The article changes a report stands for (none for a deferred invalidation), read again from wherever
   * they are kept; undefined when they can no longer be read (in AWS the stream keeps them 24 hours).
   */
  failedChanges(report: FailureReport): Promise<readonly ArticleChange[] | undefined>;
}
