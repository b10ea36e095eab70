/** Placeholder: import (being built). */
export function ImportScreen() {
  return null;
}
