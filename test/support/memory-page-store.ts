import type { PageStore, StoredPage } from '../../functions/adapters/s3-page-store';

/** The pages bucket in memory; `failKeys` makes chosen writes fail as S3 might. */
export class MemoryPageStore implements PageStore {
  readonly objects = new Map<string, { page: StoredPage; body: string }>();
  readonly failKeys = new Set<string>();

  async put(page: StoredPage, body: string): Promise<void> {
    if (this.failKeys.has(page.key)) throw new Error(`S3 refused ${page.key}`);
    this.objects.set(page.key, { page, body });
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  body(key: string): string | undefined {
    return this.objects.get(key)?.body;
  }
}
