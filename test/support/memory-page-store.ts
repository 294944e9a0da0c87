import {
  type ListedObject,
  type PageStore,
  PageVersionConflictError,
  type PutOptions,
  type StoredPage,
  type VersionedBody,
} from '../../functions/publishing/page-store';

/** The pages bucket in memory; `failKeys` makes chosen writes fail as S3 might. */
export class MemoryPageStore implements PageStore {
  readonly objects = new Map<string, { page: StoredPage; body: string; version: string }>();
  private versions = 0;
  readonly failKeys = new Set<string>();
  /** Every put and delete, in order: what a test of "changes nothing" compares. */
  readonly writes: string[] = [];

  async put(page: StoredPage, body: string, options: PutOptions = {}): Promise<void> {
    if (this.failKeys.has(page.key)) throw new Error(`S3 refused ${page.key}`);
    const current = this.objects.get(page.key)?.version ?? null;
    if (options.expectedVersion !== undefined && options.expectedVersion !== current) {
      throw new PageVersionConflictError(page.key);
    }
    this.writes.push(`put ${page.key}`);
    this.versions += 1;
    this.objects.set(page.key, { page, body, version: `"v${this.versions}"` });
  }

  async read(key: string): Promise<VersionedBody | undefined> {
    const object = this.objects.get(key);
    return object && { body: object.body, version: object.version };
  }

  async delete(key: string): Promise<void> {
    if (this.failKeys.has(key)) throw new Error(`S3 refused to delete ${key}`);
    this.writes.push(`delete ${key}`);
    this.objects.delete(key);
  }

  async *list(): AsyncIterable<ListedObject> {
    for (const key of [...this.objects.keys()].sort()) yield { key };
  }

  async provenance(key: string): Promise<Readonly<Record<string, string>> | undefined> {
    const object = this.objects.get(key);
    return object && (object.page.provenance ?? {});
  }

  body(key: string): string | undefined {
    return this.objects.get(key)?.body;
  }
}
