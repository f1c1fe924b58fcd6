// The reader's site in a real browser (search has search.test.mjs): backreferences, cited-by lists, previews, print,
// and screenshots of every page type in both colour schemes (and on a phone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic, launch, axeViolations, opener } from './helpers.mjs';

const SITE = process.env.SITE_DIR;
const SHOTS = process.env.SCREENSHOT_DIR || '/tmp/screenshots';
let server, browser;

before(async () => {
  assert.ok(SITE, 'SITE_DIR must name the built site');
  mkdirSync(SHOTS, { recursive: true });
  server = await serveStatic(SITE);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const { open, search } = opener(() => ({ browser, server }));

test('an article page lists exactly the pages that cite it, benchmarks by country and area', async () => {
  const data = JSON.parse(readFileSync(path.join(SITE, 'data/pages.json'), 'utf8'));
  const target = 'convention/articles/article-12';
  const citing = data.pages.filter((p) => p.references.some((r) => r.id === target && r.field !== 'cites'));
  const benchmarks = citing.filter((p) => p.path.includes('/fy2010/')).map((p) => p.url).sort();
  assert.ok(benchmarks.length > 0);

  const { page, errors } = await open('/convention/articles/article-12/');
  const groups = await page.$$eval('.backrefs h3', (hs) => hs.map((h) => h.textContent));
  assert.ok(groups.some((g) => /^Benchmarks/.test(g)), JSON.stringify(groups));
  assert.ok(groups.some((g) => /^Categor/.test(g)), JSON.stringify(groups));
  const listed = await page.$$eval('.backrefs .by-area dd a', (as) => as.map((a) => a.getAttribute('href')).sort());
  assert.deepEqual(listed, benchmarks);
  const country = await page.$eval('.backrefs .group-country a', (a) => a.textContent);
  assert.equal(country, 'Peru');
  const areas = await page.$$eval('.backrefs .by-area dt', (dts) => dts.map((d) => d.textContent));
  assert.ok(areas.includes('Interdiction and law enforcement cooperation'), JSON.stringify(areas));
  const all = await page.$$eval('.backrefs a', (as) => as.map((a) => a.getAttribute('href')));
  for (const p of citing) assert.ok(all.includes(p.url), `${p.url} missing from the backreferences`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the cable shows who cites each paragraph under its heading', async () => {
  const { page, errors } = await open('/sources/state-032018/');
  const list = page.locator('#p9-c + details.cited-by');
  assert.match(await list.locator('summary').textContent(), /Cited by \d+ pages/);
  await list.locator('summary').click();
  const hrefs = await list.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.includes('/countries/peru/fy2010/coca-eradication/'), JSON.stringify(hrefs));
  // And the benchmark's citation links to that anchor.
  await page.goto(server.base + '/countries/peru/fy2010/coca-eradication/', { waitUntil: 'networkidle' });
  assert.ok(await page.locator('.fields a[href="/sources/state-032018/#p9-c"]').count() > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('confidence marks show as badges in search results and link previews', async () => {
  // Search data carries marks as written ("[U]"); the page turns them into the badge.
  const { page, errors } = await search('transit');
  const snippets = await page.$$eval('#search-results .result-snippet', (ps) => ps.map((p) => ({
    text: p.textContent, badges: p.querySelectorAll('.conf.conf-u').length,
  })));
  assert.ok(snippets.some((s) => s.badges > 0), JSON.stringify(snippets));
  assert.ok(snippets.every((s) => !/\[[UK]\]/.test(s.text)), JSON.stringify(snippets));
  await page.close();
  // A preview of a country keeps the badge of its description.
  const venezuela = await open('/countries/venezuela/');
  await venezuela.page.locator('main .content a[href="/countries/bolivia/"]').first().hover();
  await venezuela.page.waitForSelector('#link-preview', { timeout: 5000 });
  assert.equal(await venezuela.page.locator('#link-preview .conf.conf-u').count(), 1);
  assert.doesNotMatch(await venezuela.page.textContent('#link-preview'), /\[U\]/);
  assert.deepEqual([...errors, ...venezuela.errors], []);
  await venezuela.page.close();
});

test('a link preview appears on hover and on keyboard focus', async () => {
  const { page, errors } = await open('/countries/peru/fy2010/interdiction-seizures/');
  const link = page.locator('main .content a[href="/countries/peru/fy2010/coca-eradication/"]').first();
  await link.hover();
  await page.waitForSelector('#link-preview', { timeout: 5000 });
  assert.match(await page.textContent('#link-preview'), /Coca eradication/);
  assert.match(await page.textContent('#link-preview'), /Benchmark/i);
  await page.mouse.move(0, 0);
  await page.waitForSelector('#link-preview', { state: 'detached' });
  await link.focus();
  await page.waitForSelector('#link-preview', { timeout: 5000 });
  assert.equal(await link.getAttribute('aria-describedby'), 'link-preview');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#link-preview', { state: 'detached' });
  // A citation previews the cited paragraph of the cable.
  await page.locator('.fields a[href="/sources/state-032018/#p9-c"]').first().focus();
  await page.waitForSelector('#link-preview');
  assert.match(await page.textContent('#link-preview'), /¶9 C — The benchmarks/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the site reads without JavaScript', async () => {
  const page = await browser.context.newPage();
  await page.route('**/*.js', (r) => r.abort());
  await page.goto(server.base + '/countries/peru/', { waitUntil: 'load' });
  assert.ok(await page.locator('.benchmarks a').count() > 5);
  assert.ok(await page.isVisible('nav.site-nav'));
  await page.goto(server.base + '/sources/state-032018/', { waitUntil: 'load' });
  await page.locator('#p9 + details.cited-by summary').click();
  assert.ok(await page.locator('#p9 + details.cited-by a').first().isVisible());
  await page.close();
});

test('the dossier prints without navigation', async () => {
  const { page, errors } = await open('/countries/peru/dossier/');
  assert.ok(await page.isVisible('[data-print]'), 'print button shown when JS runs');
  await page.emulateMedia({ media: 'print' });
  const hidden = await page.$$eval('.site-header, .site-nav, .skip, .breadcrumbs, .site-footer .footer-nav, [data-print]',
    (els) => els.map((e) => getComputedStyle(e).display));
  assert.ok(hidden.length >= 5 && hidden.every((d) => d === 'none'), JSON.stringify(hidden));
  assert.ok(await page.isVisible('#appendix-title'));
  for (const h of ['Convention articles', 'Statutes', 'MEM thematic areas']) {
    assert.ok(await page.locator('.appendix h3', { hasText: h }).count() === 1, h);
  }
  assert.ok(await page.locator('.appendix-list dt').count() > 5);
  await page.screenshot({ path: path.join(SHOTS, 'dossier-print.png'), fullPage: false });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10000, 'printed PDF is empty');
  assert.deepEqual(errors, []);
  await page.close();
});

const PAGES = {
  home: '/', section: '/convention/', cable: '/sources/state-032018/', article: '/convention/articles/article-3/',
  category: '/convention/categories/precursors/', statute: '/legislation/fraa-706/', criterion: '/legislation/criteria/',
  mem: '/mem/themes/law-enforcement/', country: '/countries/peru/', benchmark: '/countries/peru/fy2010/coca-eradication/',
  area: '/process/areas/chemical-control/', event: '/process/timeline/', matrix: '/matrix/categories-fy2010/',
  'matrix-mem': '/matrix/mem-fy2010/', dossier: '/countries/peru/dossier/', term: '/glossary/gop/',
  search: '/search/?q=Callao', 'not-found': '/no-such-page/',
};

test('every page type in both colour schemes: screenshot, no console errors, no axe violations', async () => {
  for (const scheme of ['light', 'dark']) {
    for (const [name, url] of Object.entries(PAGES)) {
      const { page, errors } = await open(url, { scheme });
      if (name === 'search') await page.waitForSelector('#search-results mark');
      await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`), fullPage: false });
      const expected = name === 'not-found' ? [/404/] : [];
      assert.equal(errors.filter((e) => !expected.some((r) => r.test(e))).length, 0, `${url} (${scheme}): ${errors}`);
      assert.deepEqual(await axeViolations(page), [], `${url} (${scheme})`);
      await page.close();
    }
  }
});

test('the link preview and the open cited-by list pass axe in both schemes', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page } = await open('/sources/state-032018/', { scheme });
    await page.locator('#p9 + details.cited-by summary').click();
    await page.locator('main .content > p a[href="/legislation/fraa-706/"]').first().focus();
    await page.waitForSelector('#link-preview');
    assert.deepEqual(await axeViolations(page), [], scheme);
    await page.screenshot({ path: path.join(SHOTS, `preview-${scheme}.png`) });
    await page.close();
  }
});

test('every page type on a phone in both schemes: screenshot, nothing overflows sideways', async () => {
  for (const [name, url] of Object.entries(PAGES)) {
    for (const scheme of ['light', 'dark']) {
      const { page } = await open(url, { scheme, viewport: { width: 390, height: 844 } });
      if (name === 'search') await page.waitForSelector('#search-results mark');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${url} overflows by ${overflow}px`);
      await page.screenshot({ path: path.join(SHOTS, `phone-${name}-${scheme}.png`) });
      await page.close();
    }
  }
});
