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

for (const width of [390, 1366]) {
  test(`no page overflows sideways at ${width} px`, async () => {
    const urls = siteUrls(SITE);
    assert.ok(urls.length > 100, `only ${urls.length} pages in ${SITE}`);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 800 });
    const bad = [];
    for (const url of urls) {
      await page.goto(server.base + url, { waitUntil: 'load' });
      const m = await page.evaluate(measureOverflow);
      if (m.over > 0) bad.push(`${url} by ${m.over}px: ${m.culprits.join(', ')}`);
    }
    await page.close();
    assert.deepEqual(bad, [], `${bad.length} of ${urls.length} pages overflow at ${width} px`);
  });
}
