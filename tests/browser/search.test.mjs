// Search on the reader's site in a real browser: ranking, filters, snippets cut at word
// boundaries with whole query words marked, confidence marks as badges (never "[K]"/"[U]"),
// "did you mean" from the index's vocabulary, and results as you type under the header's box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic, launch, axeViolations, opener } from './helpers.mjs';

const SITE = process.env.SITE_DIR;
let server, browser;
before(async () => { server = await serveStatic(SITE); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });
const { open, search } = opener(() => ({ browser, server }));

test('search finds Callao, marks it in the snippet and opens the benchmark', async () => {
  const { page, errors, items } = await search('Callao');
  const hit = items[0];
  assert.equal(hit?.href, '/countries/peru/fy2010/port-container-inspection/', JSON.stringify(items));
  assert.equal(hit.type, 'Benchmark · Peru');
  const marked = await page.$eval('#search-results li:first-child mark', (m) => m.textContent);
  assert.equal(marked.toLowerCase(), 'callao');
  await page.click(`#search-results a[href="${hit.href}"]`);
  await page.waitForURL(/port-container-inspection/);
  assert.match(await page.textContent('h1'), /port and container inspection/i);
  assert.deepEqual(errors, []);
  await page.close();
});

test('search finds terms of art, statute codes and article numbers', async () => {
  for (const [query, expected, top] of [
    ['failed demonstrably', '/legislation/fraa-706/', 5],
    // "2291j-1" is the tokens "2291j" and "1"; the list of reference sources (S1, S11, …, and
    // the two 2291j-1 texts) ranks high on both, beside the statute pages.
    ['2291j-1', '/legislation/fraa-706/', 5],
    ['Art. 12', '/convention/articles/article-12/', 3],
  ]) {
    const { page, items } = await search(query);
    const rank = items.findIndex((i) => i.href === expected);
    assert.ok(rank >= 0 && rank < top, `${query}: ${expected} at ${rank}: ${JSON.stringify(items.map((i) => i.href))}`);
    await page.close();
  }
});

test('search filters by type and country; the keyboard reaches and opens results', async () => {
  const all = await search('coca');
  const filtered = await search('coca', '&type=Benchmark&country=Peru');
  assert.ok(filtered.total > 0 && filtered.total < all.total, `${filtered.total} of ${all.total}`);
  assert.ok(filtered.items.every((i) => i.type === 'Benchmark · Peru'), JSON.stringify(filtered.items));
  assert.equal(await filtered.page.inputValue('#filter-type'), 'Benchmark');
  // Changing a filter re-runs the search and updates the address.
  await filtered.page.selectOption('#filter-type', '');
  await filtered.page.waitForFunction(() => !location.search.includes('type='));
  await filtered.page.close();

  const { page } = all;
  await page.goto(server.base + '/convention/', { waitUntil: 'networkidle' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input');
  await page.keyboard.type('Callao');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\/\?q=Callao/);
  await page.waitForSelector('#search-results li a');
  await page.focus('#q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = await page.$eval('#search-results li:nth-child(2) a', (a) => a.getAttribute('href'));
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), second);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForURL(/port-container-inspection/);
  await page.close();
});


/** Every search document's text by URL, read from the built index on disk. */
function docTexts() {
  const texts = new Map();
  for (const f of readdirSync(path.join(SITE, 'search')).filter((n) => n.startsWith('docs-'))) {
    for (const [url, , summary, text] of JSON.parse(readFileSync(path.join(SITE, 'search', f), 'utf8'))) {
      texts.set(url, { summary, text });
    }
  }
  return texts;
}

/** Each result's snippet as the index wrote it: badges turned back into their marks' text,
 * the "… " and " …" that say it is cut removed. */
async function rawSnippets(page) {
  const marks = JSON.parse(readFileSync(path.join(SITE, 'search/index.json'), 'utf8')).marks;
  return page.$$eval('#search-results li', (lis, marks) => lis.map((li) => {
    const p = li.querySelector('.result-snippet').cloneNode(true);
    for (const b of p.querySelectorAll('.conf')) b.replaceWith(marks.find((m) => m.label === b.textContent).text);
    return { href: li.querySelector('a').getAttribute('href'), text: p.textContent, marked: [...p.querySelectorAll('mark')].map((m) => m.textContent) };
  }), marks);
}

test('snippets start and end at word boundaries and mark whole query words', async () => {
  const texts = docTexts();
  const isWord = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (const query of ['Callao', 'precursor chemicals', 'coca', 'failed demonstrably', 'extradition']) {
    const { page } = await search(query);
    const snippets = await rawSnippets(page);
    assert.ok(snippets.length > 0, query);
    for (const s of snippets) {
      const doc = texts.get(s.href);
      let body = s.text.replace(/^… /, '').replace(/ …$/, '');
      const source = doc.text.includes(body) ? doc.text : doc.summary;
      const at = source.indexOf(body);
      assert.ok(at >= 0, `${query}: ${s.href}: snippet not in the page's text: ${body}`);
      assert.ok(at === 0 || !isWord(source[at - 1]), `${query}: ${s.href} starts mid-word: …${source.slice(at - 10, at)}|${body.slice(0, 20)}`);
      assert.ok(!isWord(source[at + body.length]), `${query}: ${s.href} ends mid-word: ${body.slice(-20)}|${source.slice(at + body.length, at + body.length + 10)}`);
      for (const m of s.marked) {
        assert.ok(query.toLowerCase().split(' ').some((w) => m.toLowerCase().startsWith(w)), `${query}: marked "${m}" in ${s.href}`);
      }
    }
    await page.close();
  }
  // A legal citation marks the citation, not each of its letters and digits.
  const { page, items } = await search('3(1)(a)');
  assert.ok(items.length > 0);
  const marked = (await rawSnippets(page)).flatMap((s) => s.marked);
  assert.ok(marked.length > 0 && marked.every((m) => /^3\W+1\W+a/i.test(m)), JSON.stringify(marked));
  await page.close();
});

test('results show confidence marks as badges, never as "[K]" or "[U]"', async () => {
  for (const query of ['designated', 'uncertain', 'Peru']) {
    const { page, items } = await search(query);
    while (await page.isVisible('#search-more')) {
      const n = await page.locator('#search-results li').count();
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, n);
    }
    const text = await page.textContent('#search-results');
    assert.ok(items.length > 0, query);
    assert.ok(!/\[[KUV]\]/.test(text), `${query}: ${text.match(/.{40}\[[KUV]\].{10}/)?.[0]}`);
    await page.close();
  }
});

test('a misspelled query is corrected from the index\'s own words', async () => {
  const { page, items, total } = await search('precurser');
  assert.equal(await page.textContent('#search-suggestion'), 'precursor');
  assert.match(await page.textContent('#search-status'), /No results for “precurser”\. Did you mean precursor\? Showing \d+ results for “precursor”/);
  assert.ok(total > 5 && items.some((i) => i.href === '/convention/categories/precursors/'), JSON.stringify(items));
  await page.close();
  // A query the index knows is left alone.
  const known = await search('precursor');
  assert.equal(await known.page.locator('#search-suggestion').count(), 0);
  assert.equal(known.total, total);
  await known.page.close();
});

test('the header box shows results as you type; the keyboard reaches and opens them', async () => {
  for (const scheme of ['light', 'dark']) {
    const { page, errors } = await open('/convention/', { scheme });
    await page.keyboard.press('/');
    await page.keyboard.type('Callao');
    await page.waitForSelector('#instant-results li a');
    const hrefs = await page.$$eval('#instant-results li a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs[0], '/countries/peru/fy2010/port-container-inspection/', JSON.stringify(hrefs));
    assert.match(hrefs.at(-1), /^\/search\/\?q=Callao$/);
    assert.match(await page.textContent('#instant-results'), /Benchmark · Peru/);
    assert.deepEqual(await axeViolations(page), [], scheme);
    await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR || '/tmp/screenshots', `instant-${scheme}.png`) });
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), hrefs[0]);
    await page.keyboard.press('Escape');
    assert.ok(await page.isHidden('#instant-results'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input');
    await page.keyboard.type('s');
    await page.waitForSelector('#instant-results li a');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/port-container-inspection/);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the 404 page suggests the closest addresses of the site and a search', async () => {
  for (const [asked, expected] of [
    ['/countries/peru/fy2010/coca-eradicaton/', '/countries/peru/fy2010/coca-eradication/'],
    ['/convention/article-3/', '/convention/articles/article-3/'],
    ['/legislation/fraa-760/', '/legislation/fraa-706/'],
  ]) {
    const { page, errors } = await open(asked);
    await page.waitForSelector('#not-found:not([hidden])');
    const hrefs = await page.$$eval('#not-found-suggestions a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs[0], expected, `${asked}: ${JSON.stringify(hrefs)}`);
    assert.ok(hrefs.length <= 5);
    assert.match(await page.getAttribute('#not-found-search', 'href'), /^\/search\/\?q=/);
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), [], asked);
    assert.deepEqual(await axeViolations(page), [], asked);
    await page.close();
  }
});
