// What every check shares: argument parsing, the site folder argument, and the exit codes
// (0 pass, 1 findings, 2 setup or usage error) with one summary line.
import { statSync } from 'node:fs';
import path from 'node:path';

/** A setup or usage problem: the check could not run (exit 2). */
export class UsageError extends Error {}

/**
 * Parses `--key=value` / `--flag` options (only those in `known`, a map of name to default) and
 * positional arguments.
 */
export function parseArgs(argv, known, usage) {
  const opts = { ...known };
  const positional = [];
  for (const a of argv) {
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [k, v] = a.slice(2).split(/=(.*)/s);
    if (!(k in known)) throw new UsageError(`unknown option --${k}\nusage: ${usage}`);
    opts[k] = v === undefined ? true : v;
  }
  return { opts, positional };
}

/** The site folder argument, resolved; throws UsageError when it is not a folder. */
export function siteDir(arg, usage) {
  if (!arg) throw new UsageError(`usage: ${usage}`);
  let st;
  try { st = statSync(arg); } catch { throw new UsageError(`not a folder: ${arg}`); }
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${arg}`);
  return path.resolve(arg);
}

/** Normalizes a SITE_URL (`https://host/` or `https://host/sub/`) or returns null. */
export function siteUrl(value) {
  if (!value) return null;
  let u;
  try { u = new URL(value); } catch { throw new UsageError(`SITE_URL is not a URL: ${value}`); }
  if (!/^https?:$/.test(u.protocol)) throw new UsageError(`SITE_URL must be http(s): ${value}`);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.search = ''; u.hash = '';
  return u;
}

/**
 * Runs a check: `body()` resolves to { ok, summary } after printing its findings; prints
 * `NAME: OK|FAIL summary` and exits 0/1, or `NAME: ERROR message` and exits 2.
 */
export async function runCheck(name, body) {
  let code;
  try {
    const { ok, summary } = await body();
    console.log(`${name}: ${ok ? 'OK' : 'FAIL'} ${summary}`);
    code = ok ? 0 : 1;
  } catch (e) {
    const msg = e instanceof UsageError ? e.message : (e && e.stack) || String(e);
    console.log(`${name}: ERROR ${msg}`);
    code = 2;
  }
  process.exitCode = code;
  // Let open handles (a browser that failed to close) not keep the process alive.
  setTimeout(() => process.exit(code), 100).unref();
}
