// Every page of the built site at a phone's width (390 px) and a laptop's (1366 px): the document
// never scrolls sideways. A wide table or code block may scroll inside itself; nothing else may
// stick out of the viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveStatic, launch, siteUrls, measureOverflow } from './helpers.mjs';

const SITE = process.env.SITE_DIR;
let server, browser;
before(async () => { server = await serveStatic(SITE); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Each page loads once and is measured at both widths (resizing re-lays it out).
test('no page overflows sideways at 390 or 1366 px', async () => {
  const urls = siteUrls(SITE);
  assert.ok(urls.length > 100, `only ${urls.length} pages in ${SITE}`);
  const page = await browser.context.newPage();
  const bad = [];
  for (const url of urls) {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(server.base + url, { waitUntil: 'load' });
    for (const width of [390, 1366]) {
      if (width !== 390) await page.setViewportSize({ width, height: 800 });
      const m = await page.evaluate(measureOverflow);
      if (m.over > 0) bad.push(`${url} at ${width} px by ${m.over}px: ${m.culprits.join(', ')}`);
    }
  }
  await page.close();
  assert.deepEqual(bad, [], `${bad.length} overflows in ${urls.length} pages`);
});
