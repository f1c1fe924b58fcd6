// html-valid.sh DIR [--css] [--warnings]
// Validates every HTML file under DIR (and with --css every CSS file) with the W3C Nu Html
// Checker: vnu.jar from the npm package vnu-jar, run offline on the system's java. Prints each
// error as `  error: FILE:LINE:COL: message` (sorted), then one summary line. Warnings are
// counted; --warnings prints them too (they never fail the check).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, siteDir, runCheck, UsageError } from './lib/cli.mjs';
import { listFiles } from './lib/site.mjs';

const USAGE = 'html-valid.sh DIR [--css] [--warnings]';
const require = createRequire(import.meta.url);

function runVnu(args) {
  return new Promise((resolve, reject) => {
    const java = process.env.JAVA || 'java';
    const child = spawn(java, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.once('error', (e) => reject(new UsageError(`cannot run ${java}: ${e.message} (apt-get install openjdk-17-jre-headless)`)));
    child.once('close', (code) => resolve({ code, err }));
  });
}

/** Runs vnu.jar; resolves to the messages of its JSON report. */
async function vnuMessages(args) {
  const { code, err } = await runVnu(args);
  try { return JSON.parse(err).messages; } catch {
    throw new UsageError(`vnu.jar printed no JSON report (exit ${code}):\n${err.trim().slice(0, 2000)}`);
  }
}

await runCheck('html-valid', async () => {
  const { opts, positional } = parseArgs(process.argv.slice(2), { css: false, warnings: false }, USAGE);
  const dir = siteDir(positional[0], USAGE);
  if (positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
  if (!existsSync(jar)) throw new UsageError(`${jar} missing: run tests/acceptance/setup.sh`);
  const html = listFiles(dir, /\.html?$/i);
  const css = opts.css ? listFiles(dir, /\.css$/i) : [];
  if (!html.length) throw new UsageError(`no HTML files under ${dir}`);
  // Two runs: vnu 26.9.27 numbers the lines of HTML files one too low when --also-check-css is
  // given, so the CSS files are checked in a run of their own (--css: parse them as CSS). CSS
  // inside the HTML (<style>, style="") is checked in the HTML run either way.
  const base = ['-Xss8m', '-jar', jar, '--format', 'json', '--exit-zero-always'];
  const abs = (files) => files.map((f) => path.join(dir, f));
  const messages = await vnuMessages([...base, ...abs(html)]);
  if (css.length) messages.push(...await vnuMessages([...base, '--css', ...abs(css)]));
  const found = [];
  let errors = 0, warnings = 0;
  for (const m of messages) {
    const file = m.url?.startsWith('file:') ? path.relative(dir, fileURLToPath(m.url)) : (m.url || '?');
    const isError = m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal';
    const isWarning = !isError && m.subType === 'warning';
    if (isError) errors++; else if (isWarning) warnings++; else continue;
    if (!isError && !opts.warnings) continue;
    const line = m.firstLine ?? m.lastLine ?? 0, col = m.firstColumn ?? m.lastColumn ?? 0;
    found.push({ file, line, col, text: `  ${isError ? 'error' : 'warning'}: ${file}:${line}:${col}: ${String(m.message).trim()}` });
  }
  const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
  found.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.text, b.text));
  for (const f of found) console.log(f.text);
  const badFiles = new Set(found.filter((f) => f.text.startsWith('  error')).map((f) => f.file)).size;
  return { ok: errors === 0, summary: `html_files=${html.length} css_files=${css.length} errors=${errors} warnings=${warnings} files_with_errors=${badFiles}` };
});
