import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';

/** A process as a lock file records it: enough to tell whether it still runs, and to name it. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  command: string;
  /** When it took the lock (ISO time). */
  since: string;
  /** Linux: its start time in clock ticks after boot (/proc/<pid>/stat field 22), which tells a reused pid apart. */
  procStart?: string;
}

/**
 * The start time of process `pid` (field 22 of /proc/<pid>/stat); undefined where there is no /proc
 * or no such process.
 */
export function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 is the command in parentheses, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (EPERM: it does, under another user). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process, as it writes itself into a lock file. */
export function thisProcess(): ProcessIdentity {
  const command = [basename(process.execPath), ...process.argv.slice(1)].join(' ');
  return {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
    procStart: procStartTime(process.pid),
  };
}

/**
 * Whether `holder` (recorded on this host) still runs: its pid exists and, where both start times
 * are known, started when recorded; a pid reused by another process does not count.
 */
export function stillRuns(holder: ProcessIdentity): boolean {
  if (!pidExists(holder.pid)) return false;
  const now = procStartTime(holder.pid);
  return holder.procStart === undefined || now === undefined || now === holder.procStart;
}
