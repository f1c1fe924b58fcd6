// atom.sh DIR [--optional]
// Checks every Atom feed under DIR (each *.xml or *.atom whose root is <feed>) against the rules
// of RFC 4287 (every *.xml must also be well-formed, by xmllint), the Atom namespace, and for the feed, each entry and
// each source: the elements required exactly once (id, title, updated) and those allowed at most
// once, authors (an entry without one needs a feed author), content or an alternate link, the
// summary that some contents require, at most one alternate link per type and hreflang, Date
// constructs (RFC 3339 date-times), absolute IRIs in id, href on every link, term on every
// category, the Text and Person constructs, and no other elements in the Atom namespace.
// SHOULDs (a rel="self" link, distinct updated for a repeated id) are warnings, which do not fail.
// --optional: a site without a feed passes.
import { parseArgs, siteDir, runCheck, UsageError } from './lib/cli.mjs';
import { listFiles } from './lib/site.mjs';
import { xmllint, parseXml, children, at } from './lib/xml.mjs';

const USAGE = 'atom.sh DIR [--optional]';
const A = 'http://www.w3.org/2005/Atom';
const XHTML = 'http://www.w3.org/1999/xhtml';
const FEED = { once: ['id', 'title', 'updated'], atMostOnce: ['generator', 'icon', 'logo', 'rights', 'subtitle'], many: ['author', 'category', 'contributor', 'link', 'entry'] };
const ENTRY = { once: ['id', 'title', 'updated'], atMostOnce: ['content', 'published', 'rights', 'source', 'summary'], many: ['author', 'category', 'contributor', 'link'] };
const SOURCE = { once: [], atMostOnce: [...FEED.once, ...FEED.atMostOnce], many: ['author', 'category', 'contributor', 'link'] };
const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** True for an RFC 3339 date-time (uppercase T and Z, as RFC 4287 section 3.3 requires) that exists. */
function isDate(text) {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const zoneOk = m[8] === 'Z' || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 60 && zoneOk;
}

/** Problems of one feed document; `err` and `warn` take (node, message). */
function checkFeed(feed, err, warn) {
  const atom = (el, name) => children(el, A, name);

  // Elements of a container (feed, entry, source): cardinalities and unknown Atom elements.
  const container = (el, rules, what) => {
    for (const name of rules.once) {
      const found = atom(el, name);
      if (found.length === 0) err(el, `${what} has no <${name}>`);
      if (found.length > 1) err(found[1], `${what} has ${found.length} <${name}> elements (exactly one allowed)`);
    }
    for (const name of rules.atMostOnce) {
      const found = atom(el, name);
      if (found.length > 1) err(found[1], `${what} has ${found.length} <${name}> elements (at most one allowed)`);
    }
    const known = new Set([...rules.once, ...rules.atMostOnce, ...rules.many]);
    for (const c of children(el, A)) if (!known.has(c.localName)) err(c, `${what} contains <${c.localName}>, which is not an Atom element here`);
    for (const c of atom(el, 'id')) {
      if (!IRI.test(c.textContent.trim())) err(c, `${what} <id> is not an absolute IRI: ${JSON.stringify(c.textContent)}`);
    }
    for (const name of ['updated', 'published']) {
      for (const c of atom(el, name)) if (!isDate(c.textContent.trim())) err(c, `${what} <${name}> is not an RFC 3339 date-time: ${JSON.stringify(c.textContent)}`);
    }
    for (const name of ['title', 'subtitle', 'summary', 'rights']) for (const c of atom(el, name)) text(c, `${what} <${name}>`);
    for (const name of ['author', 'contributor']) for (const c of atom(el, name)) person(c, `${what} <${name}>`);
    for (const c of atom(el, 'category')) if (!c.getAttribute('term')) err(c, `${what} <category> has no term attribute`);
    const alternates = new Set();
    for (const c of atom(el, 'link')) {
      if (!c.getAttribute('href')) err(c, `${what} <link> has no href attribute`);
      const rel = c.getAttribute('rel') || 'alternate';
      if (rel !== 'alternate') continue;
      const key = `${c.getAttribute('type') || ''} ${c.getAttribute('hreflang') || ''}`;
      if (alternates.has(key)) err(c, `${what} has two alternate <link>s with the same type and hreflang`);
      alternates.add(key);
    }
  };
  // A Text construct (RFC 4287 section 3.1).
  const text = (el, what) => {
    const type = el.getAttribute('type') || 'text';
    const elements = children(el);
    if (type === 'text' || type === 'html') {
      if (elements.length) err(elements[0], `${what} of type ${type} contains an element <${elements[0].tagName}>`);
    } else if (type === 'xhtml') {
      if (elements.length !== 1 || elements[0].namespaceURI !== XHTML || elements[0].localName !== 'div') err(el, `${what} of type xhtml must contain exactly one XHTML <div>`);
    } else err(el, `${what} has type="${type}" (text, html or xhtml)`);
  };
  // A Person construct (section 3.2).
  const person = (el, what) => {
    const names = atom(el, 'name');
    if (names.length !== 1) err(el, `${what} has ${names.length} <name> elements (exactly one required)`);
    for (const name of ['uri', 'email']) if (atom(el, name).length > 1) err(el, `${what} has more than one <${name}>`);
    for (const c of children(el, A)) if (!['name', 'uri', 'email'].includes(c.localName)) err(c, `${what} contains <${c.localName}>, which is not an Atom element here`);
  };

  container(feed, FEED, 'feed');
  if (!atom(feed, 'link').some((l) => l.getAttribute('rel') === 'self')) warn(feed, 'feed has no <link rel="self"> (RFC 4287 section 4.1.1: SHOULD)');
  const feedAuthor = atom(feed, 'author').length > 0;
  const seen = new Map();
  const entries = atom(feed, 'entry');
  entries.forEach((entry, i) => {
    const what = `entry ${i + 1}`;
    container(entry, ENTRY, what);
    for (const source of atom(entry, 'source')) container(source, SOURCE, `${what} <source>`);
    const sourceAuthor = atom(entry, 'source').some((s) => atom(s, 'author').length > 0);
    if (!feedAuthor && !sourceAuthor && !atom(entry, 'author').length) err(entry, `${what} has no <author>, and neither has the feed`);
    const content = atom(entry, 'content')[0];
    const alternate = atom(entry, 'link').some((l) => (l.getAttribute('rel') || 'alternate') === 'alternate');
    if (!content && !alternate) err(entry, `${what} has neither <content> nor <link rel="alternate">`);
    if (content) {
      const type = content.getAttribute('type') || 'text';
      const src = content.getAttribute('src');
      if (src !== null && (content.firstChild && content.textContent.trim() !== '' || children(content).length)) err(content, `${what} <content src> must be empty`);
      const base64 = !['text', 'html', 'xhtml'].includes(type) && !/^text\/|[/+]xml$/i.test(type);
      if ((src !== null || base64) && !atom(entry, 'summary').length) err(content, `${what} has <content ${src !== null ? 'src' : `type="${type}"`}> but no <summary>`);
      if (src === null && ['text', 'html', 'xhtml'].includes(type)) text(content, `${what} <content>`);
    }
    const id = atom(entry, 'id')[0]?.textContent.trim();
    const updated = atom(entry, 'updated')[0]?.textContent.trim();
    if (id) {
      const key = `${id} ${updated}`;
      if (seen.has(key)) warn(entry, `${what} repeats the id and updated of entry ${seen.get(key)} (section 4.1.1: SHOULD differ)`);
      else seen.set(key, i + 1);
    }
  });
  return entries.length;
}

await runCheck('atom', async () => {
  const { opts, positional } = parseArgs(process.argv.slice(2), { optional: false }, USAGE);
  const dir = siteDir(positional[0], USAGE);
  if (positional.length > 1) throw new UsageError(`usage: ${USAGE}`);
  const errors = [], warnings = [];
  let feeds = 0, entries = 0;
  for (const rel of listFiles(dir, /\.(xml|atom)$/i)) {
    // Every XML file of the site must be well-formed: a broken one may be the feed.
    const lint = xmllint(dir, rel);
    const { doc, errors: parseErrors } = lint.length ? {} : parseXml(dir, rel);
    if (lint.length || parseErrors.length) { errors.push(`${rel}: not well-formed XML:\n      ${(lint.length ? lint : parseErrors).join('\n      ')}`); continue; }
    const root = doc.documentElement;
    if (root.localName !== 'feed') {
      if (/\.atom$/i.test(rel)) errors.push(`${rel}:${at(root)}: the root element is <${root.tagName}>, not an Atom <feed>`);
      continue;
    }
    feeds++;
    if (root.namespaceURI !== A) { errors.push(`${rel}:${at(root)}: <feed> is not in the Atom namespace ${A}`); continue; }
    entries += checkFeed(root, (n, m) => errors.push(`${rel}:${at(n)}: ${m}`), (n, m) => warnings.push(`${rel}:${at(n)}: ${m}`));
  }
  if (!feeds && !opts.optional) errors.push(`no Atom feed under ${dir} (no *.xml whose root is <feed>)`);
  for (const w of warnings) console.log(`  warning: ${w}`);
  for (const e of errors) console.log(`  error: ${e}`);
  return { ok: errors.length === 0, summary: `feeds=${feeds} entries=${entries} errors=${errors.length} warnings=${warnings.length}` };
});
