import { expect } from 'vitest';
import { api, editorToken } from './api';

/** An editor's PATCH at `version` that must succeed; the article as it answered. */
export async function edit(id: string, version: number, changes: Record<string, unknown>) {
  const response = await api(`/api/articles/${id}`, {
    method: 'PATCH',
    token: editorToken(),
    headers: { 'if-match': `"${version}"` },
    json: changes,
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
}
