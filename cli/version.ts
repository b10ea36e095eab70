/** The version `strata --version` prints: package.json's, inlined into the bundle at its build. */
import { version } from '../package.json';

export const STRATA_VERSION: string = version;
