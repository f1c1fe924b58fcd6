// XML files of a site: xmllint (libxml2) for well-formedness and schemas, @xmldom/xmldom for a
// namespace-aware DOM with line numbers.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { UsageError } from './cli.mjs';

/**
 * Runs `xmllint --noout --nonet ARGS FILE` (dir/rel); resolves to the problems it printed, with
 * the file's absolute path replaced by `rel`. Throws UsageError when xmllint is missing.
 */
export function xmllint(dir, rel, args = []) {
  const abs = path.join(dir, rel);
  const r = spawnSync('xmllint', ['--noout', '--nonet', ...args, abs], { encoding: 'utf8' });
  if (r.error) throw new UsageError(`cannot run xmllint: ${r.error.message} (apt-get install libxml2-utils)`);
  const lines = (r.stderr || '').split('\n').filter((l) => l && !/ (validates|fails to validate)$/.test(l))
    .map((l) => l.split(abs).join(rel));
  if (r.status !== 0 && !lines.length) lines.push(`${rel}: xmllint exited with ${r.status}`);
  return lines;
}

/** Parses dir/rel into a DOM; resolves to { doc, errors } (errors as `rel:line:col: message`). */
export function parseXml(dir, rel) {
  const errors = [];
  const onError = (level, msg, ctx) => {
    const loc = ctx && ctx.locator ? `${ctx.locator.lineNumber}:${ctx.locator.columnNumber}` : '?';
    if (level !== 'warning') errors.push(`${rel}:${loc}: ${String(msg).split('\n')[0].replace(/^\[xmldom \w+\]\s*/, '')}`);
  };
  let doc = null;
  try {
    doc = new DOMParser({ onError }).parseFromString(readFileSync(path.join(dir, rel), 'utf8'), 'application/xml');
  } catch (e) {
    if (!errors.length) errors.push(`${rel}: ${String(e.message).split('\n')[0]}`);
  }
  return { doc, errors };
}

/** The element children of `el` (in document order). */
export function children(el, ns, name) {
  const out = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (ns === undefined || n.namespaceURI === ns) && (name === undefined || n.localName === name)) out.push(n);
  }
  return out;
}

/** `line:col` of a node, as xmldom recorded it. */
export function at(node) { return `${node.lineNumber ?? '?'}:${node.columnNumber ?? '?'}`; }
