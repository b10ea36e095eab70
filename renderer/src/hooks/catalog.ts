/** What the catalog holds, for the status bar, the first-run check and the dashboard. */
import { useRead } from '../api/calls';

export function useCatalogStats(detailed = false) {
  return useRead('catalog/stats', detailed ? { detailed: true } : {});
}

export function useCollections() {
  return useRead('collections/list', {});
}
