/** Placeholder: settings (being built). */
export function SettingsScreen() {
  return null;
}
