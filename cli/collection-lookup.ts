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
