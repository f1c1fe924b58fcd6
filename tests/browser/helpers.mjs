// Shared helpers: a static server for the built site, and headless Debian Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.xml': 'application/xml' };

/** Serves `dir` on 127.0.0.1 (a free port); resolves to { base, close }. */
export function serveStatic(dir) {
  const server = createServer(async (req, res) => {
    try {
      let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (p.includes('..')) throw new Error('bad path');
      if (p.endsWith('/')) p += 'index.html';
      const file = path.join(dir, p);
      if ((await stat(file)).isDirectory()) throw new Error('dir');
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(await readFile(path.join(dir, '404.html')).catch(() => 'not found'));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
  }));
}

/** Headless Chromium with a throw-away profile; returns { context, close }. */
export async function launch(options = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'majors-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    close: async () => { await context.close().catch(() => {}); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Collects console errors and page errors of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Starts `majors serve --port 0` on `root`; resolves to { url, stop }. */
export function startServe(bin, root) {
  const child = spawn(bin, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ url: line.trim(), stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`majors serve exited with ${code}`)));
    setTimeout(() => reject(new Error('majors serve did not start')), 20000);
  });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core violations (WCAG 2.x A/AA) of the page as it is now, as "impact rule: target" strings. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')}`));
  }, WCAG);
}

/** Every index.html under `dir`, as site URLs ("/a/b/"), sorted. */
export function siteUrls(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else if (name === 'index.html') out.push(rel);
    }
  };
  walk(dir, '/');
  return out;
}

/** In the page: how far the document overflows, and the elements that stick out of the viewport
 * without a scrolling ancestor (tag.class and how far). */
export function measureOverflow() {
  const vw = document.documentElement.clientWidth;
  const over = document.documentElement.scrollWidth - vw;
  const culprits = [];
  if (over > 0) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= vw + 1 || r.width === 0) continue;
      let a = el.parentElement, scrolls = false;
      while (a && a !== document.body) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') { scrolls = true; break; }
        a = a.parentElement;
      }
      if (!scrolls) culprits.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} +${Math.round(r.right - vw)}`);
      if (culprits.length > 3) break;
    }
  }
  return { over, culprits };
}

/** Page helpers bound to the browser and static server `get()` returns once `before` has run:
 * `open(url, { scheme, viewport })` resolves to { page, errors } (console errors, failed
 * requests, HTTP errors), and `search(query, extra)` opens the search page and resolves when
 * its results (or "0 results") show, to { page, errors, items: [{ href, type, snippet }], total }. */
export function opener(get) {
  async function open(url, { scheme = 'light', viewport } = {}) {
    const { browser, server } = get();
    const page = await browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: scheme });
    const errors = watchErrors(page);
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(server.base + url, { waitUntil: 'networkidle' });
    return { page, errors };
  }
  async function search(query, extra = '') {
    const { page, errors } = await open('/search/?q=' + encodeURIComponent(query) + extra);
    await page.waitForFunction(() => /\d+ results? for/.test(document.getElementById('search-status').textContent));
    const total = Number((await page.textContent('#search-status')).match(/(\d+) result/)[1]);
    const items = await page.$$eval('#search-results li', (lis) => lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      type: li.querySelector('.result-type').textContent,
      snippet: li.querySelector('.result-snippet').textContent,
    })));
    return { page, errors, items, total };
  }
  return { open, search };
}
