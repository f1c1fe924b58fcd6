// Live preview in a real browser: an edit reloads the page and keeps the scroll position; a
// broken save shows the error overlay, and the fix clears it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, startServe, watchErrors } from './helpers.mjs';

const BIN = process.env.MAJORS_BIN;
const FIXTURE = process.env.FIXTURE_DIR;
let site, serve, browser;
const longPage = (marker) => '---\ntitle: Long\n---\n' +
  Array.from({ length: 120 }, (_, i) => `## Part ${i}\n\nParagraph ${i} of a long page. ${marker}\n`).join('\n');

before(async () => {
  assert.ok(BIN && FIXTURE, 'MAJORS_BIN and FIXTURE_DIR must be set');
  site = mkdtempSync(path.join(tmpdir(), 'majors-serve-'));
  cpSync(FIXTURE, site, { recursive: true });
  writeFileSync(path.join(site, 'content/long.md'), longPage('first'));
  serve = await startServe(BIN, site);
  browser = await launch();
});
after(async () => { await browser?.close(); serve?.stop(); rmSync(site, { recursive: true, force: true }); });

test('an edit reloads the page at the same scroll position', async () => {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(serve.url + 'long/', { waitUntil: 'networkidle' });
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.waitForFunction(() => window.scrollY >= 1400);
  writeFileSync(path.join(site, 'content/long.md'), longPage('second'));
  await page.waitForFunction(() => document.body.textContent.includes('second'), null, { timeout: 15000 });
  await page.waitForFunction(() => window.scrollY >= 1400, null, { timeout: 5000 });
  assert.ok(await page.evaluate(() => window.scrollY) >= 1400);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a broken save shows the overlay and the fix clears it', async () => {
  const page = await browser.context.newPage();
  await page.goto(serve.url + 'things/alpha/', { waitUntil: 'networkidle' });
  const file = path.join(site, 'content/things/alpha.md');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, good.replace('status: open', 'status: opne'));
  await page.waitForSelector('#majors-overlay', { timeout: 15000 });
  const text = await page.textContent('#majors-overlay');
  assert.match(text, /bad-enum-value/);
  assert.match(text, /content\/things\/alpha\.md:\d+:\d+/);
  assert.match(text, /help: did you mean `open`/);
  assert.match(await page.textContent('h1'), /Alpha/, 'the last good page stays');
  writeFileSync(file, good.replace('Alpha is the first thing.', 'Alpha is repaired.'));
  await page.waitForFunction(() => document.body.textContent.includes('Alpha is repaired.'), null, { timeout: 15000 });
  assert.equal(await page.$('#majors-overlay'), null);
  await page.close();
});
