/** Where the e2e run leaves what a reviewer looks at: screenshots and the accessibility results. */
import path from 'node:path';
import { ROOT } from './catalogs';

export const RESULTS = path.join(ROOT, 'test-results');
export const SCREENS = path.join(RESULTS, 'screens');
/** One JSON file per axe() call (written by the test workers), merged into axe.json at the end. */
export const AXE_PARTS = path.join(RESULTS, 'axe-parts');
export const AXE_JSON = path.join(RESULTS, 'axe.json');
