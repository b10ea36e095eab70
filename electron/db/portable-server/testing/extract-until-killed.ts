/**
 * Test helper process: extracts the packed server into the bin folder named on the command
 * line, printing each progress percent, until the test kills it (and its 7za) mid-extraction.
 */
import { extractBinaries } from '../extract-binaries';
import { readManifest } from '../manifest';
import path from 'node:path';

const [resources, binRoot] = process.argv.slice(2) as [string, string];
const manifest = readManifest(resources);
await extractBinaries(path.join(resources, manifest.archive), manifest, binRoot, (p) => process.stdout.write(`${p.phase} ${p.percent}\n`));
process.stdout.write('done\n');
