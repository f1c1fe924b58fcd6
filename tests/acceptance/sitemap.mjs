// sitemap.sh DIR [--optional]   (env SITE_URL=https://site/)
// Validates DIR/sitemap.xml, and any other *.xml under DIR whose root is a <urlset> or
// <sitemapindex>, with xmllint against sitemap.xsd (the sitemaps.org 0.9 protocol). Then:
// every <loc> is on one host (the protocol's rule) and, with SITE_URL, lies under SITE_URL and
// names a page or file that exists in DIR. --optional: a site without sitemap.xml passes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { parseArgs, siteDir, siteUrl, runCheck, UsageError } from './lib/cli.mjs';
import { listFiles, resolvePath } from './lib/site.mjs';
import { xmllint, parseXml, children, at } from './lib/xml.mjs';

const USAGE = 'SITE_URL=https://site/ sitemap.sh DIR [--optional]';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XSD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sitemap.xsd');

await runCheck('sitemap', async () => {
  const { opts, positional } = parseArgs(process.argv.slice(2), { optional: false }, USAGE);
  const dir = siteDir(positional[0], USAGE);
  if (positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const site = siteUrl(process.env.SITE_URL);
  if (!existsSync(XSD)) throw new UsageError(`${XSD} missing`);
  const problems = [];
  const files = [];
  for (const rel of listFiles(dir, /\.xml$/i)) {
    if (rel === 'sitemap.xml') { files.push(rel); continue; }
    const { doc } = parseXml(dir, rel);
    const root = doc?.documentElement;
    if (root && ['urlset', 'sitemapindex'].includes(root.localName)) files.push(rel);
  }
  if (!files.includes('sitemap.xml') && !opts.optional) problems.push('sitemap.xml: missing at the root of the site');
  let urls = 0;
  for (const rel of files) {
    const lint = xmllint(dir, rel, ['--schema', XSD]);
    if (lint.length) problems.push(lint.join('\n      '));
    if (lint.length) continue;
    const { doc } = parseXml(dir, rel);
    const origins = new Set();
    for (const entry of children(doc.documentElement, NS)) {
      const loc = children(entry, NS, 'loc')[0];
      const text = loc.textContent.trim();
      urls++;
      const u = new URL(text);
      origins.add(u.origin);
      if (!site) continue;
      if (u.origin !== site.origin || !u.pathname.startsWith(site.pathname)) {
        problems.push(`${rel}:${at(loc)}: <loc>${text}</loc> is not under SITE_URL ${site.href}`);
        continue;
      }
      let hit = resolvePath(dir, '/' + u.pathname.slice(site.pathname.length));
      if (hit.redirect) hit = resolvePath(dir, hit.redirect);
      if (!hit.file) problems.push(`${rel}:${at(loc)}: <loc>${text}</loc>: no such page in the site`);
    }
    if (origins.size > 1) problems.push(`${rel}: <loc> URLs on ${origins.size} hosts (${[...origins].sort().join(', ')}); a sitemap lists one host's URLs`);
  }
  for (const p of problems) console.log(`  error: ${p}`);
  return { ok: problems.length === 0, summary: `sitemaps=${files.length} urls=${urls} errors=${problems.length}${site ? ` site_url=${site.href}` : ''}` };
});
