/** Finds a collection by name through the handler map (names are unique ignoring case). */
import type { Collection } from '../shared/domain';
import { notFound } from '../shared/errors';
import type { StrataApi } from '../shared/ipc/api';

const fold = (s: string): string => s.trim().replace(/[A-Z]/gu, (c) => c.toLowerCase());

export async function findCollection(api: StrataApi, name: string): Promise<Collection | null> {
  return (await api['collections/list']({})).find((c) => fold(c.name) === fold(name)) ?? null;
}

export async function requireCollection(api: StrataApi, name: string, hint = ''): Promise<Collection> {
  const found = await findCollection(api, name);
  if (!found) throw notFound(`There is no collection named "${name}".${hint ? ` ${hint}` : ''}`);
  return found;
}

export async function findOrCreate(api: StrataApi, name: string, source: 'local' | 'nzb', rootPath: string | null = null): Promise<Collection> {
  return (await findCollection(api, name)) ?? api['collections/create']({ name, source, rootPath });
}

/**
 * Runs `work` on the named collection, creating it if absent. A collection this command
 * created is removed again when the work failed (it threw, or `failed` says so) and left it
 * empty: a mistyped path must not leave an empty collection behind. One that held files
 * before, or got some, stays.
 */
export async function withCollection<T>(
  api: StrataApi,
  want: { name: string; source: 'local' | 'nzb'; rootPath?: string | null },
  work: (collection: Collection) => Promise<T>,
  failed: (result: T) => boolean = () => false,
): Promise<T> {
  const found = await findCollection(api, want.name);
  if (found) return work(found);
  const created = await api['collections/create']({ name: want.name, source: want.source, rootPath: want.rootPath ?? null });
  const undoIfEmpty = async (): Promise<void> => {
    const now = (await api['collections/list']({})).find((c) => c.id === created.id);
    if (now && now.fileCount === 0) await api['collections/delete']({ id: created.id });
  };
  let result: T;
  try {
    result = await work(created);
  } catch (error) {
    await undoIfEmpty().catch(() => undefined);
    throw error;
  }
  if (failed(result)) await undoIfEmpty();
  return result;
}
