/** How the library writes dates: the user's locale, short, the same in every column and panel. */
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

export function formatDate(ms: number | null): string {
  return ms === null ? '—' : DATE.format(new Date(ms));
}
