// The Peru dossier printed by Chromium, on A4 and on Letter, read back with poppler-utils
// (pdfinfo, pdftotext): a briefing, not a data export. The bound of six pages: page 1 holds the
// situation and all sixteen benchmarks at a glance, the details run about five benchmarks to a
// page (three pages), the appendix one; Letter, shorter, may need one page more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveStatic, launch, opener } from './helpers.mjs';

const SITE = process.env.SITE_DIR;
const MAX_PAGES = 6;
let server, browser, dir;
before(async () => { server = await serveStatic(SITE); browser = await launch(); dir = mkdtempSync(path.join(tmpdir(), 'majors-pdf-')); });
after(async () => { await browser?.close(); await server?.close(); rmSync(dir, { recursive: true, force: true }); });
const { open } = opener(() => ({ browser, server }));

const decode = (s) => s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" })[e]);

/** Each page of `pdf` as { text, fill }: its words, and how far down the page its last line of
 * body text reaches (0 to 1), the running header and footer (within the margins) left out. */
function pdfPages(pdf) {
  const xml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  return xml.split('<page ').slice(1).map((p) => {
    const height = Number(p.match(/height="([\d.]+)"/)[1]);
    const margin = (12 / 25.4) * 72;
    const words = [...p.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</g)]
      .map((m) => ({ top: Number(m[1]), bottom: Number(m[2]), word: decode(m[3]) }));
    const body = words.filter((w) => w.top > margin && w.bottom < height - margin);
    return { text: words.map((w) => w.word).join(' '), fill: Math.max(0, ...body.map((w) => w.bottom)) / height };
  });
}

test('the printed dossier is a briefing on A4 and on Letter', async () => {
  const benchmarks = JSON.parse(readFileSync(path.join(SITE, 'data/pages.json'), 'utf8')).pages
    .filter((p) => p.type === 'benchmark' && p.path.includes('countries/peru/')).map((p) => p.title);
  assert.equal(benchmarks.length, 16);
  const { page, errors } = await open('/countries/peru/dossier/');
  await page.emulateMedia({ media: 'print' });
  for (const format of ['A4', 'Letter']) {
    const file = path.join(dir, `dossier-${format}.pdf`);
    writeFileSync(file, await page.pdf({ format }));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const count = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
    assert.ok(count >= 2 && count <= MAX_PAGES, `${format}: ${count} pages`);
    const pages = pdfPages(file);
    assert.equal(pages.length, count);
    const squash = (s) => s.replace(/\s+/g, ' ').replace(/[‘’]/g, "'");
    const first = squash(pages[0].text);
    assert.match(first, /Situation/);
    assert.match(first, /Content as of \d{1,2} \w+ \d{4}/);
    assert.match(first, /Source: cable STATE 032018/);
    assert.match(first, /Benchmarks at a glance/);
    for (const title of benchmarks) {
      assert.ok(first.includes(squash(title)), `${format}: "${title}" is not on page 1`);
    }
    pages.forEach((p, i) => {
      assert.ok(squash(p.text).includes(`Page ${i + 1} of ${count}`), `${format}: page ${i + 1} has no page number`);
      assert.match(p.text, /^Peru: briefing/, `${format}: page ${i + 1} has no running title`);
      if (i < count - 1) assert.ok(p.fill >= 0.5, `${format}: page ${i + 1} is ${Math.round(100 - p.fill * 100)} % blank`);
    });
    const all = squash(pages.map((p) => p.text).join(' '));
    assert.match(all, /Art\. 3\(1\)\(a\)/);
    assert.doesNotMatch(all, /3-1-a|\[[KUV]\]/);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
