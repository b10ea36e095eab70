/** Placeholder: the upgrade wizard (being built). */
export function WizardScreen() {
  return null;
}
