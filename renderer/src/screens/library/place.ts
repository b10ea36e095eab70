/** Where the library is: a collection (folderId null: every file in it) or one of its folders. */
export interface LibraryPlace {
  collectionId: number;
  folderId: number | null;
  /** The folder's path inside the collection ('' for the collection), as exports name it. */
  path: string;
  name: string;
  /** Files in the place when known (a folder's own files, a collection's all). */
  total: number | null;
}

/** The folder part of a file's path inside its collection. */
export function folderOf(relPath: string): string {
  const at = relPath.lastIndexOf('/');
  return at === -1 ? '' : relPath.slice(0, at);
}
