/**
 * The portable server cannot run elevated on Windows. postgres.exe checks its own token at
 * start (pgwin32_is_admin: CheckTokenMembership for BUILTIN\Administrators or Power Users)
 * and exits with "Execution of PostgreSQL by a user with administrative permissions is not
 * permitted". Under UAC those groups are "deny only" in a normal token and enabled in an
 * elevated one ("Run as administrator", a shortcut set to it, an elevated parent, or the
 * built-in Administrator account with UAC off). initdb and pg_ctl drop the rights themselves
 * (a restricted token); Strata spawns postgres directly, so it has to refuse first, before
 * minutes of first-use extraction, with a message that says what to do.
 *
 * The probe is `whoami /groups /fo csv /nh` (System32, present since Vista, no PowerShell
 * start-up, no dependence on the Server service as `net session` has). Its names and
 * attribute texts are in the display language, so the decision rests on what is not: the
 * mandatory label SID (S-1-16-12288 High, 16384 System: only an elevated or full admin token
 * has one of those). The group rows' English attribute text is a second signal where it can be
 * read (a Power Users member with UAC off runs at Medium). Should both miss, server-process.ts
 * recognises postgres's own message and answers with the same error.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';

const ADMINISTRATORS = 'S-1-5-32-544';
const POWER_USERS = 'S-1-5-32-547';
/** S-1-16-<level>: 8192 Medium, 12288 High, 16384 System. */
const HIGH_INTEGRITY = 12288;

export type ElevationEvidence = 'high-integrity' | 'admin-group-enabled' | 'not-elevated' | 'unknown';

export interface Elevation {
  /** null: the probe said nothing usable; the server is tried and its own check decides. */
  elevated: boolean | null;
  evidence: ElevationEvidence;
  /** The SID that decided, for details. */
  sid?: string;
}

/** The fields of one CSV line as whoami writes it (every field quoted, "" for a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  const re = /"((?:[^"]|"")*)"/gu;
  for (const m of line.matchAll(re)) fields.push((m[1] ?? '').replace(/""/gu, '"'));
  return fields;
}

/** Reads `whoami /groups /fo csv /nh` output. Pure, so every shape is tested on any platform. */
export function parseWhoamiGroups(output: string): Elevation {
  let level: number | null = null;
  let levelSid: string | undefined;
  let adminEnabled: string | undefined;
  for (const line of output.split(/\r?\n/u)) {
    const fields = csvFields(line);
    const sid = fields.find((f) => /^S-1-\d+(-\d+)+$/u.test(f));
    if (!sid) continue;
    const label = /^S-1-16-(\d+)$/u.exec(sid);
    if (label) {
      level = Math.max(level ?? 0, Number(label[1]));
      if (level === Number(label[1])) levelSid = sid;
      continue;
    }
    if (sid === ADMINISTRATORS || sid === POWER_USERS) {
      const attributes = fields.slice(fields.indexOf(sid) + 1).join(',');
      // English attribute text only; any other language leaves this signal unread.
      if (/\bEnabled group\b/iu.test(attributes) && !/deny only/iu.test(attributes)) adminEnabled = sid;
    }
  }
  if (level !== null && level >= HIGH_INTEGRITY) return { elevated: true, evidence: 'high-integrity', ...(levelSid ? { sid: levelSid } : {}) };
  if (adminEnabled) return { elevated: true, evidence: 'admin-group-enabled', sid: adminEnabled };
  if (level !== null) return { elevated: false, evidence: 'not-elevated', ...(levelSid ? { sid: levelSid } : {}) };
  return { elevated: null, evidence: 'unknown' };
}

export type RunWhoami = () => Promise<string>;

const runWhoami: RunWhoami = () =>
  new Promise((resolve, reject) => {
    // By full path: a whoami.exe earlier on PATH (or in the current folder) is not asked.
    const exe = path.win32.join(process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows', 'System32', 'whoami.exe');
    execFile(exe, ['/groups', '/fo', 'csv', '/nh'], { windowsHide: true, timeout: 10_000, maxBuffer: 1 << 20 }, (error, stdout) => (error ? reject(new Error(`whoami failed: ${error.message}`)) : resolve(stdout)));
  });

/** Whether this process is elevated; on other systems never (root is server-user.ts's matter). */
export async function probeElevation(platform: NodeJS.Platform = process.platform, run: RunWhoami = runWhoami): Promise<Elevation> {
  if (platform !== 'win32') return { elevated: false, evidence: 'not-elevated' };
  try {
    return parseWhoamiGroups(await run());
  } catch {
    return { elevated: null, evidence: 'unknown' };
  }
}

/** The error a start refuses with when Strata runs elevated. */
export function elevatedError(details: Record<string, unknown> = {}): StrataError {
  return new StrataError(
    'pg-start-failed',
    'Strata is running as administrator, and the portable PostgreSQL server refuses to run with administrator rights (a safety rule of PostgreSQL). ' +
      'Close Strata and start it normally, not with "Run as administrator" (check the shortcut: Properties, Advanced…, and the Compatibility tab). ' +
      'The catalog on SQLite, sharded SQLite or embedded PostgreSQL works either way.',
    { elevated: true, ...details },
  );
}

/** The decision: refuse an elevated process; an unknown answer lets the server's own check speak. */
export function elevationRefusal(elevation: Elevation): StrataError | null {
  return elevation.elevated === true ? elevatedError({ evidence: elevation.evidence, ...(elevation.sid ? { sid: elevation.sid } : {}) }) : null;
}

/** postgres.exe's own refusal, in its output (the words wrap at "not\npermitted"). */
export const isAdminRefusal = (output: string): boolean => /Execution of PostgreSQL by a user with administrative permissions is not\s+permitted/u.test(output);
