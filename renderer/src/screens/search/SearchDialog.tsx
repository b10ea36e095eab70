/** Placeholder: search from anywhere (being built). */
export function SearchDialog(_props: { open: boolean; onOpenChange(open: boolean): void }) {
  return null;
}
