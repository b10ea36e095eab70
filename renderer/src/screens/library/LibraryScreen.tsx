/** Placeholder: the library (being built). */
export function LibraryScreen() {
  return null;
}
