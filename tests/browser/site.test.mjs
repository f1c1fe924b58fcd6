// The reader's site in a real browser: search, backreferences, previews, print, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveStatic, launch, watchErrors } from './helpers.mjs';

const SITE = process.env.SITE_DIR;
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/screenshots';
let server, browser;

before(async () => {
  assert.ok(SITE, 'SITE_DIR must name the built site');
  server = await serveStatic(SITE);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(url, scheme = 'light') {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  const errors = watchErrors(page);
  await page.goto(server.base + url, { waitUntil: 'networkidle' });
  return { page, errors };
}

async function results(query) {
  const { page, errors } = await open('/search/?q=' + encodeURIComponent(query));
  await page.waitForFunction(() => /result/.test(document.getElementById('search-status').textContent));
  const items = await page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    href: li.querySelector('a').getAttribute('href'),
    type: li.querySelector('.result-type').textContent,
    snippet: li.querySelector('.result-snippet').textContent,
  })));
  return { page, errors, items };
}

test('search finds Callao and opens the benchmark', async () => {
  const { page, errors, items } = await results('Callao');
  assert.ok(items.length > 0, 'no results for Callao');
  const hit = items.find((i) => i.href === '/countries/peru/fy2010/port-container-inspection/');
  assert.ok(hit, JSON.stringify(items));
  assert.match(hit.type, /Benchmark · Peru/);
  await page.waitForFunction(() => document.querySelector('#search-results mark'));
  const marked = await page.$eval('#search-results mark', (m) => m.textContent);
  assert.equal(marked.toLowerCase(), 'callao');
  await page.click(`#search-results a[href="${hit.href}"]`);
  await page.waitForURL(/port-container-inspection/);
  assert.match(await page.textContent('h1'), /port|container/i);
  assert.deepEqual(errors, []);
  await page.close();
});

test('search finds terms of art, statute codes and article numbers', async () => {
  for (const [query, expected] of [
    ['failed demonstrably', '/legislation/fraa-706/'],
    ['2291j-1', '/legislation/fraa-706/'],
    ['Art. 12', '/convention/articles/article-12/'],
  ]) {
    const { page, items } = await results(query);
    assert.ok(items.some((i) => i.href === expected), `${query}: ${JSON.stringify(items.slice(0, 5))}`);
    await page.close();
  }
});

test('search filters by type and country, and "/" focuses the box', async () => {
  const { page, items } = await results('coca');
  const filtered = await open('/search/?q=coca&type=Benchmark&country=Peru');
  await filtered.page.waitForFunction(() => /result/.test(document.getElementById('search-status').textContent));
  const types = await filtered.page.$$eval('#search-results .result-type', (s) => s.map((x) => x.textContent));
  assert.ok(types.length > 0 && types.length < items.length, `${types.length} of ${items.length}`);
  assert.ok(types.every((t) => t === 'Benchmark · Peru'), JSON.stringify(types));
  await page.goto(server.base + '/convention/', { waitUntil: 'networkidle' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input');
  await page.close(); await filtered.page.close();
});

test('an article page lists the benchmarks and categories that cite it', async () => {
  const { page, errors } = await open('/convention/articles/article-12/');
  const groups = await page.$$eval('.backrefs h3', (hs) => hs.map((h) => h.textContent));
  assert.ok(groups.some((g) => /Benchmark/.test(g)), JSON.stringify(groups));
  assert.ok(groups.some((g) => /Categor/.test(g)), JSON.stringify(groups));
  const links = await page.$$eval('.backrefs a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('/countries/peru/fy2010/interdiction-seizures/'), JSON.stringify(links));
  assert.ok(links.includes('/convention/categories/precursors/'), JSON.stringify(links));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link preview appears on hover and on keyboard focus', async () => {
  const { page } = await open('/countries/peru/fy2010/interdiction-seizures/');
  const link = page.locator('main .content a[href="/countries/peru/fy2010/coca-eradication/"]').first();
  await link.hover();
  await page.waitForSelector('#link-preview', { timeout: 5000 });
  assert.match(await page.textContent('#link-preview'), /Coca eradication/i);
  await page.mouse.move(0, 0);
  await page.waitForSelector('#link-preview', { state: 'detached' });
  await link.focus();
  await page.waitForSelector('#link-preview', { timeout: 5000 });
  assert.equal(await link.getAttribute('aria-describedby'), 'link-preview');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#link-preview', { state: 'detached' });
  await page.close();
});

test('the dossier prints without navigation', async () => {
  const { page } = await open('/countries/peru/dossier/');
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.$$eval('.site-header, .site-nav, .skip', (els) => els.map((e) => getComputedStyle(e).display));
  assert.ok(hidden.every((d) => d === 'none'), JSON.stringify(hidden));
  assert.ok(await page.isVisible('#appendix-title'));
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10000, 'printed PDF is empty');
  await page.close();
});

test('screenshots of each page type in both colour schemes', async () => {
  const pages = {
    home: '/', cable: '/sources/state-032018/', article: '/convention/articles/article-3/',
    category: '/convention/categories/precursors/', statute: '/legislation/fraa-706/',
    mem: '/mem/themes/law-enforcement/', country: '/countries/peru/', benchmark: '/countries/peru/fy2010/coca-eradication/',
    matrix: '/matrix/categories-fy2010/', dossier: '/countries/peru/dossier/', term: '/glossary/gop/', search: '/search/?q=Callao',
  };
  for (const scheme of ['light', 'dark']) {
    for (const [name, url] of Object.entries(pages)) {
      const { page, errors } = await open(url, scheme);
      await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), fullPage: false });
      assert.deepEqual(errors, [], `${url} (${scheme}) logged errors`);
      await page.close();
    }
  }
});
