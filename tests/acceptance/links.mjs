// links.sh DIR [--max-pages=N]   (env SITE_URL=https://site.example/)
// Loads every HTML page under DIR in headless Chromium (served on 127.0.0.1 as a static host
// would) and checks, in the DOM as the browser built it (scripts included):
//   * every internal URL in href, src, srcset, poster, data, action, cite (a, area, link, img,
//     source, script, iframe, video, audio, track, object, form, ...): the file must exist;
//     a URL under SITE_URL counts as internal, other hosts and schemes (mailto:, tel:) are skipped;
//   * every #fragment of an internal URL to an HTML page (same-page ones too): the page must have
//     an element with that id (or an <a name>); "#" and "#top" always work;
//   * every request the page itself made to the server (stylesheets, scripts, fetch) answered < 400.
// Prints `  broken-link:` / `  broken-anchor:` / `  failed-request:` lines (sorted by page), then a
// summary line.
import { parseArgs, siteDir, siteUrl, runCheck, UsageError } from './lib/cli.mjs';
import { listFiles, urlPathOf, resolvePath, serveSite } from './lib/site.mjs';
import { launchChromium } from './lib/browser.mjs';

const USAGE = 'SITE_URL=https://site/ links.sh DIR [--max-pages=N]';

/** In the page: its ids and every URL-valued attribute, in document order. */
function collect() {
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
    .concat([...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
  const attrs = ['href', 'src', 'poster', 'data', 'action', 'cite', 'srcset', 'imagesrcset'];
  const links = [];
  for (const el of document.querySelectorAll(attrs.map((a) => `[${a}]`).join(','))) {
    const tag = el.localName;
    if (tag === 'base') continue;
    const rel = (el.getAttribute('rel') || '').toLowerCase().split(/\s+/);
    if (tag === 'link' && (rel.includes('preconnect') || rel.includes('dns-prefetch'))) continue;
    for (const attr of attrs) {
      const raw = el.getAttribute(attr);
      if (raw === null) continue;
      const values = attr.endsWith('srcset')
        ? raw.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean)
        : [raw.trim()];
      for (const value of values) {
        if (value === '') continue;
        let url = null;
        try { url = new URL(value, document.baseURI).href; } catch { /* reported as unparsable */ }
        links.push({ tag, attr, value, url });
      }
    }
  }
  return { ids, links };
}

await runCheck('links', async () => {
  const { opts, positional } = parseArgs(process.argv.slice(2), { 'max-pages': '100000' }, USAGE);
  const dir = siteDir(positional[0], USAGE);
  if (positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const site = siteUrl(process.env.SITE_URL);
  const all = listFiles(dir, /\.html?$/i);
  if (!all.length) throw new UsageError(`no HTML files under ${dir}`);
  const pages = all.slice(0, Number(opts['max-pages']));
  const server = await serveSite(dir);
  const browser = await launchChromium();
  const origin = new URL(server.base).origin;
  const idsOf = new Map(); // file -> Set of ids
  const found = []; // { page, text }
  const counts = { links: 0, internal: 0, external: 0, broken_links: 0, broken_anchors: 0, failed_requests: 0 };
  const perPage = new Map(); // page -> [{ tag, attr, value, url }]
  try {
    const page = await browser.context.newPage();
    let current = null;
    page.on('response', (r) => {
      if (current && r.status() >= 400 && r.url().startsWith(origin) && r.request().frame() === page.mainFrame() && !r.request().isNavigationRequest()) {
        current.failed.add(`${r.request().method()} ${new URL(r.url()).pathname} -> HTTP ${r.status()}`);
      }
    });
    page.on('requestfailed', (r) => { // ERR_ABORTED: cancelled (e.g. by the next navigation), or after a 404 reported above
      const error = r.failure()?.errorText || 'failed';
      if (current && r.url().startsWith(origin) && !error.includes('ERR_ABORTED')) current.failed.add(`${r.method()} ${new URL(r.url()).pathname} -> ${error}`);
    });
    for (const file of pages) {
      current = { failed: new Set() };
      const resp = await page.goto(server.base + urlPathOf(file).slice(1), { waitUntil: 'load', timeout: 30000 });
      if (!resp || resp.status() >= 400) throw new Error(`${file}: HTTP ${resp?.status()} from the test server`);
      const { ids, links } = await page.evaluate(collect);
      idsOf.set(file, new Set(ids));
      perPage.set(file, links);
      for (const f of [...current.failed].sort()) { counts.failed_requests++; found.push({ page: file, text: `  failed-request: ${file}: ${f}` }); }
    }
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
  // Internal URL -> the path on the test server, or null for an external one.
  const internalPath = (u) => {
    if (u.origin === origin) return u.pathname;
    if (site && u.origin === site.origin && u.pathname.startsWith(site.pathname)) return '/' + u.pathname.slice(site.pathname.length);
    return null;
  };
  const idsFor = (file) => {
    if (!idsOf.has(file)) idsOf.set(file, null); // a page past --max-pages: its anchors are not checked
    return idsOf.get(file);
  };
  for (const [file, links] of perPage) {
    const seen = new Set();
    for (const { tag, attr, value, url } of links) {
      counts.links++;
      const where = `${file}: <${tag} ${attr}="${value}">`;
      if (url === null) { counts.broken_links++; report(file, `  broken-link: ${where}: not a valid URL`); continue; }
      const u = new URL(url);
      const p = /^https?:$/.test(u.protocol) ? internalPath(u) : null;
      if (p === null) { counts.external++; continue; }
      counts.internal++;
      let hit = resolvePath(dir, p);
      if (hit.redirect) hit = resolvePath(dir, hit.redirect);
      if (!hit.file) { counts.broken_links++; report(file, `  broken-link: ${where}: ${decodeURI(p)} not found`); continue; }
      const frag = u.hash.slice(1);
      if (!frag || frag.toLowerCase() === 'top' || frag.startsWith(':~:') || !/\.html?$/i.test(hit.file)) continue;
      const ids = idsFor(hit.file);
      if (!ids) continue;
      let decoded = frag;
      try { decoded = decodeURIComponent(frag); } catch { /* keep it raw */ }
      if (!ids.has(frag) && !ids.has(decoded)) {
        counts.broken_anchors++;
        report(file, `  broken-anchor: ${where}: no id "${decoded}" in ${hit.file}`);
      }
    }
    function report(page, text) { if (!seen.has(text)) { seen.add(text); found.push({ page, text }); } }
  }
  found.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : 0)); // stable: document order within a page
  for (const f of found) console.log(f.text);
  const bad = counts.broken_links + counts.broken_anchors + counts.failed_requests;
  const skipped = all.length - pages.length;
  return {
    ok: bad === 0,
    summary: `pages=${pages.length}${skipped ? ` skipped_pages=${skipped}` : ''} links=${counts.links} internal=${counts.internal} ` +
      `external=${counts.external} broken_links=${counts.broken_links} broken_anchors=${counts.broken_anchors} ` +
      `failed_requests=${counts.failed_requests}${site ? ` site_url=${site.href}` : ''}`,
  };
});
