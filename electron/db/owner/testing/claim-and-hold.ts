/**
 * A test process: claims a data folder and says what it became. The owner opens the catalog
 * and holds it for the given time (or until killed); a process that found a live owner makes
 * one call through it and reports the answering owner's pid. Run with tsx:
 * node --import tsx claim-and-hold.ts <data> <holdMs>
 */
import { claimDataFolder } from '../claim-folder';
import { openOwnedCatalog } from '../open-owned-catalog';

const [dataDir = '', holdArg = '1000'] = process.argv.slice(2);
const claim = await claimDataFolder(dataDir, { kind: 'cli', command: 'claim-and-hold' }, { waitMs: 30_000 });
if (claim.owned) {
  const catalog = await openOwnedCatalog(claim.owned, dataDir, { autoMoves: false, planEveryMs: 0 });
  process.stdout.write(`${JSON.stringify({ role: 'owner', pid: process.pid })}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(holdArg)));
  await catalog.close();
} else {
  const status = await claim.connection.client.call('manager/status', {});
  process.stdout.write(`${JSON.stringify({ role: 'client', pid: process.pid, ownerPid: claim.owner.pid, engine: status.store.engine })}\n`);
  claim.connection.close();
}
