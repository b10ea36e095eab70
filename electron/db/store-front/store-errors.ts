/**
 * The errors a core raises about the catalog's rows, worded once so every engine reports the
 * same thing the same way (the conformance suite compares codes and details across engines).
 */
import { StrataError, notFound } from '../../../shared/errors';

export const collectionNameTaken = (name: string): StrataError =>
  new StrataError('conflict', `A collection named "${name}" already exists; choose another name.`, { name });

export const noCollection = (collectionId: number): StrataError => notFound(`There is no collection with id ${collectionId}.`, { collectionId });

export const noFile = (fileId: number): StrataError => notFound(`There is no file with id ${fileId}.`, { fileId });

export const folderNotInCollection = (folderId: number, collectionId: number): StrataError =>
  notFound(`Folder ${folderId} is not in collection ${collectionId}.`, { folderId });

export const noNzbSource = (sourceId: number): StrataError => notFound(`There is no NZB source with id ${sourceId}.`, { sourceId });

/** A complete source of the collection already has the dupe key a pending one is finished under. */
export const nzbAlreadyThere = (fileName: string, existingId: number, dupeKey: string): StrataError =>
  new StrataError('conflict', `This NZB (${fileName}) is already in the collection.`, { existingId, dupeKey });
