/** Placeholder: the window-wide drop target for NZB files (being built). */
import type { ReactNode } from 'react';

export function ImportDropZone({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
