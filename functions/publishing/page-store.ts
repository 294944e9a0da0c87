/**
 * The storage port of the rendered site: the publisher and the reconciler write, list and inspect the
 * bucket through it. The S3 adapter implements it for real; unit tests use an in-memory fake.
 */

/** What the renderer writes: an object key with the headers CloudFront will serve it with. */
export interface StoredPage {
  readonly key: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /**
   * Where the object came from (user metadata on the object): which article and which version of it,
   * or which page a redirect points at. The reconciler compares it with the table to find stale pages
   * without rendering or downloading anything.
   */
  readonly provenance?: Readonly<Record<string, string>>;
}

/** One object of a bucket listing. */
export interface ListedObject {
  readonly key: string;
}

/** An object's body with the version it was read at (S3's ETag). */
export interface VersionedBody {
  readonly body: string;
  readonly version: string;
}

export interface PutOptions {
  /**
   * Write only over this version (an ETag read before), or only where nothing exists yet (`null`):
   * read-modify-write without losing a concurrent writer's change.
   */
  readonly expectedVersion?: string | null;
}

/** A conditional write found another version than it expected: read again and retry. */
export class PageVersionConflictError extends Error {
  override name = 'PageVersionConflictError';
  constructor(readonly key: string) {
    super(`${key} was changed by another writer`);
  }
}

export interface PageStore {
  put(page: StoredPage, body: string, options?: PutOptions): Promise<void>;
  /** An object's body and version, or undefined when there is no such object. */
  read(key: string): Promise<VersionedBody | undefined>;
  /** Deleting a missing key succeeds, so a retried batch can delete again safely. */
  delete(key: string): Promise<void>;
  /** Every object key, page by page: what the reconciler compares with the table. */
  list(): AsyncIterable<ListedObject>;
  /** An object's provenance, or undefined when there is no such object. */
  provenance(key: string): Promise<Readonly<Record<string, string>> | undefined>;
}
