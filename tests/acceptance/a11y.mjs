// a11y.sh DIR [--fail-on=minor|moderate|serious|critical] [--schemes=light,dark] [--max-pages=N]
// Runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) in headless Chromium on every HTML page
// under DIR, served on 127.0.0.1 as a static host would. Prints each violation as
// `  IMPACT: PAGE (SCHEME): RULE (N nodes): help` with up to three of its nodes, then a summary.
// Fails on any violation at or above --fail-on (default minor: every violation fails).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs, siteDir, runCheck, UsageError } from './lib/cli.mjs';
import { listFiles, urlPathOf, serveSite } from './lib/site.mjs';
import { launchChromium } from './lib/browser.mjs';

const USAGE = 'a11y.sh DIR [--fail-on=minor|moderate|serious|critical] [--schemes=light,dark] [--max-pages=N]';
const IMPACTS = ['minor', 'moderate', 'serious', 'critical'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const require = createRequire(import.meta.url);

await runCheck('a11y', async () => {
  const { opts, positional } = parseArgs(process.argv.slice(2), { 'fail-on': 'minor', schemes: 'light', 'max-pages': '100000' }, USAGE);
  const dir = siteDir(positional[0], USAGE);
  if (positional.length > 1 || !IMPACTS.includes(opts['fail-on'])) throw new UsageError(`usage: ${USAGE}`);
  const schemes = opts.schemes.split(',');
  if (schemes.some((s) => !['light', 'dark'].includes(s))) throw new UsageError(`--schemes takes light and/or dark\nusage: ${USAGE}`);
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const axeVersion = require('axe-core/package.json').version;
  const all = listFiles(dir, /\.html?$/i);
  if (!all.length) throw new UsageError(`no HTML files under ${dir}`);
  const pages = all.slice(0, Number(opts['max-pages']));
  const failRank = IMPACTS.indexOf(opts['fail-on']);
  const byImpact = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
  let violations = 0, nodes = 0, failing = 0;
  const server = await serveSite(dir);
  const browser = await launchChromium();
  try {
    // axe is added to every page before its own scripts run (cheaper than a script tag per page).
    await browser.context.addInitScript({ content: axeSource });
    const page = await browser.context.newPage();
    for (const scheme of schemes) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const file of pages) {
        const resp = await page.goto(server.base + urlPathOf(file).slice(1), { waitUntil: 'load', timeout: 30000 });
        if (!resp || resp.status() >= 400) throw new Error(`${file}: HTTP ${resp?.status()} from the test server`);
        const result = await page.evaluate(async (tags) => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
        }, TAGS);
        result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        for (const v of result) {
          const impact = IMPACTS.includes(v.impact) ? v.impact : 'minor';
          violations++; nodes += v.targets.length; byImpact[impact]++;
          if (IMPACTS.indexOf(impact) >= failRank) failing++;
          const n = v.targets.length;
          console.log(`  ${impact}: ${file} (${scheme}): ${v.id} (${n} node${n === 1 ? '' : 's'}): ${v.help}`);
          for (const t of v.targets.slice(0, 3)) console.log(`      at ${t}`);
        }
      }
    }
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
  const skipped = all.length - pages.length;
  return {
    ok: failing === 0,
    summary: `axe=${axeVersion} pages=${pages.length}${skipped ? ` skipped_pages=${skipped}` : ''} schemes=${schemes.join(',')} ` +
      `violations=${violations} critical=${byImpact.critical} serious=${byImpact.serious} moderate=${byImpact.moderate} ` +
      `minor=${byImpact.minor} nodes=${nodes} fail_on=${opts['fail-on']}`,
  };
});
