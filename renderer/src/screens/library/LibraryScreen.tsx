/**
 * Placeholder: the library (being built on ui-library). Until it lands, an empty catalog shows
 * the first-run screen here, as the library will.
 */
import { useCollections } from '../../hooks/catalog';
import { FirstRun } from '../import/FirstRun';

export function LibraryScreen() {
  const collections = useCollections();
  return collections.data?.length === 0 ? <FirstRun /> : null;
}
