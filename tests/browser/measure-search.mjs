// Measures search on a built site (e.g. the 10,000-page synthetic one): query time as the
// search page reports it and the bytes of index files each query fetched. Not a test; run:
//   node tests/browser/measure-search.mjs PUBLIC_DIR "query one" "query two" ...
import { serveStatic, launch } from './helpers.mjs';

const [dir, ...queries] = process.argv.slice(2);
const server = await serveStatic(dir);
const browser = await launch();
try {
  for (const q of queries) {
    const page = await browser.context.newPage();
    const fetched = [];
    page.on('response', async (r) => {
      if (r.url().includes('/search/') && r.url().endsWith('.json')) fetched.push((await r.body()).length);
    });
    const t0 = Date.now();
    await page.goto(`${server.base}/search/?q=${encodeURIComponent(q)}`);
    await page.waitForFunction(() => /\d+ results? for/.test(document.getElementById('search-status').textContent), null, { timeout: 30000 });
    await page.waitForLoadState('networkidle');
    const status = await page.textContent('#search-status');
    const kb = Math.round(fetched.reduce((a, b) => a + b, 0) / 1024);
    console.log(`${JSON.stringify(q)}: ${status.trim()}; ${fetched.length} index files, ${kb} KiB; page ready in ${Date.now() - t0} ms`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
