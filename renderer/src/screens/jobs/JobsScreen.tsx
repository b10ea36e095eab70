/** Placeholder: jobs (being built). */
export function JobsScreen() {
  return null;
}
