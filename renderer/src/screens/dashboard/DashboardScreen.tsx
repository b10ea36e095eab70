/** Placeholder: the database dashboard (being built). */
export function DashboardScreen() {
  return null;
}
