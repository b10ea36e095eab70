/** Placeholder: the move banner and recommendation notice (being built). */
export function MoveBanner() {
  return null;
}
