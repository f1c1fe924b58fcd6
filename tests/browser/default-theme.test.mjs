// The built-in default theme on sites that are not the knowledge base: the synthetic corpus
// (examples/gen_corpus), the test fixture without its templates, and the `majors init` starter.
// Each is built with the real binary, then its home, a section, a page of each type, search and
// the 404 page are opened in both colour schemes, on a desktop and on a phone: screenshots go to
// $SCREENSHOT_DIR/default-theme/, and every page must load without errors, pass axe-core, not
// overflow sideways, and show nothing of the knowledge base in its header, navigation or footer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveStatic, launch, watchErrors, axeViolations } from './helpers.mjs';

const BIN = process.env.MAJORS_BIN;
const GEN = process.env.GEN_CORPUS;
const FIXTURE = process.env.FIXTURE_DIR;
const SHOTS = path.join(process.env.SCREENSHOT_DIR || '/tmp/screenshots', 'default-theme');
// What the knowledge base's own templates print; none of it may come from the default theme.
const KB_CHROME = /Majors|cable|¶|\bML\b|matrix|counternarcotics|INCSR|09 STATE/i;
const VIEWPORTS = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

let work, browser;
const sites = {};

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  return r;
}

/** Builds the site in `root` into `root/public` and serves it; returns the server and its pages. */
async function buildAndServe(root) {
  const out = path.join(root, 'public');
  const r = run(BIN, ['build', '--root', root, '--output-dir', out], `majors build ${root}`);
  assert.match(r.stderr, /0 errors, 0 warnings/, r.stderr);
  const pages = JSON.parse(readFileSync(path.join(out, 'data', 'pages.json'), 'utf8')).pages;
  return { server: await serveStatic(out), pages };
}

before(async () => {
  for (const [name, v] of Object.entries({ MAJORS_BIN: BIN, GEN_CORPUS: GEN, FIXTURE_DIR: FIXTURE })) {
    assert.ok(v, `${name} must be set (tests/browser/run.sh sets it)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(path.join(tmpdir(), 'majors-default-theme-'));
  const corpus = path.join(work, 'corpus');
  run(GEN, ['--pages', '300', '--out', corpus], 'gen_corpus (cargo test --release builds it)');
  const fixture = path.join(work, 'fixture');
  cpSync(FIXTURE, fixture, { recursive: true });
  rmSync(path.join(fixture, 'templates'), { recursive: true, force: true });
  const starter = path.join(work, 'starter');
  run(BIN, ['init', starter, '--title', 'Field notes'], 'majors init');
  for (const [name, root] of Object.entries({ corpus, fixture, starter })) {
    sites[name] = await buildAndServe(root);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) await s.server.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The URLs to look at: home, the first section, the first page of each type, search, a 404. */
function urlsOf(pages) {
  const urls = { home: '/' };
  const isSection = (p) => p.path.endsWith('_index.md');
  const section = pages.find((p) => isSection(p) && p.url !== '/');
  if (section) urls.section = section.url;
  for (const p of pages) {
    if (!isSection(p) && p.type && !urls[`type-${p.type}`]) urls[`type-${p.type}`] = p.url;
  }
  if (pages.some((p) => p.url === '/search/')) urls.search = '/search/?q=the';
  urls['not-found'] = '/no-such-page/';
  return urls;
}

for (const name of ['corpus', 'fixture', 'starter']) {
  test(`default theme on the ${name}: screenshots; no errors, axe violations, overflow or knowledge-base chrome`, async () => {
    const { server, pages } = sites[name];
    const urls = urlsOf(pages);
    assert.ok(Object.keys(urls).length >= 4, `too few pages to look at: ${JSON.stringify(urls)}`);
    for (const [label, url] of Object.entries(urls)) {
      for (const [device, viewport] of Object.entries(VIEWPORTS)) {
        for (const scheme of ['light', 'dark']) {
          const page = await browser.context.newPage();
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme: scheme });
          const errors = watchErrors(page);
          page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
          await page.goto(server.base + url, { waitUntil: 'networkidle' });
          if (label === 'search') await page.waitForFunction(() => /\d+ results? for/.test(document.getElementById('search-status')?.textContent || ''));
          const where = `${name} ${url} (${device}, ${scheme})`;
          await page.screenshot({ path: path.join(SHOTS, `${name}-${label}-${device}-${scheme}.png`) });
          const expected = label === 'not-found' ? [/404/] : [];
          assert.deepEqual(errors.filter((e) => !expected.some((r) => r.test(e))), [], where);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${where} overflows sideways by ${overflow}px`);
          const chrome = await page.evaluate(() => [...document.querySelectorAll('body > header, body > nav, body > footer, header.site, nav, footer')]
            .map((e) => e.innerText).join('\n'));
          assert.ok(chrome.trim().length > 0, `${where}: no header, navigation or footer found`);
          assert.doesNotMatch(chrome, KB_CHROME, `${where}: the theme's chrome mentions the knowledge base`);
          if (scheme === 'light' || label === 'home') assert.deepEqual(await axeViolations(page), [], where);
          await page.close();
        }
      }
    }
  });
}
