//! Checks of the knowledge base's content against its sources, so that what the accuracy
//! audit fixed cannot come back: no long span copied from the cable outside a marked
//! quotation; every ¶ citation names the paragraph its anchor is; every page of the sourced
//! types cites a source; a description that states an uncertain classification carries its
//! mark. Each check is a function over (path, text) pairs, run on `content/` and shown to fail
//! on a small example that breaks it.

use std::collections::{HashMap, HashSet};

use crate::support::repo_root;

/// Consecutive words shared with the cable that count as copying.
const SPAN: usize = 12;

/// Every Markdown file under `content/`: (path relative to the repository, text).
fn content_files() -> Vec<(String, String)> {
    let root = repo_root();
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// The cable's body (from ¶1 on: the routing block and header are metadata, not prose). The
/// repository keeps a copy of the cable's text for this check (it is not published).
fn cable_body() -> String {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/sources/state-032018.txt"))
        .expect("the cable's text in tests/fixtures/sources");
    match text.find("¶1.") {
        Some(i) => text[i..].to_string(),
        None => text,
    }
}

/// Lowercase words (runs of letters and digits), each with the byte offset it starts at.
fn words(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// `text` with what does not count blanked out (same length, so offsets keep their lines):
/// link destinations, blockquotes and quoted spans that carry a citation of the cable.
fn prose(text: &str) -> String {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let blank = |out: &mut Vec<u8>, a: usize, b: usize| {
        for x in &mut out[a..b] {
            if *x != b'\n' {
                *x = b' ';
            }
        }
    };
    // Link destinations `](...)`.
    let mut from = 0;
    while let Some(i) = text[from..].find("](") {
        let start = from + i + 2;
        let end = text[start..].find(')').map_or(text.len(), |j| start + j);
        blank(&mut out, start, end);
        from = end.min(text.len());
    }
    let cites = |s: &str| s.contains("@/sources/state-032018.md#p") || s.contains("(#p");
    // A blockquote (consecutive `>` lines) that cites the cable is a marked quotation.
    let mut pos = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with('>') {
            let (start, mut end, mut j) = (pos, pos, i);
            while j < lines.len() && lines[j].trim_start().starts_with('>') {
                end += lines[j].len();
                j += 1;
            }
            if cites(&text[start..end]) {
                blank(&mut out, start, end);
            }
            pos = end;
            i = j;
        } else {
            pos += lines[i].len();
            i += 1;
        }
    }
    // A quoted span followed, within its sentence, by a citation.
    for (open, close) in [('"', '"'), ('“', '”')] {
        let mut from = 0;
        while let Some(a) = text[from..].find(open).map(|i| from + i) {
            let inner = a + open.len_utf8();
            let Some(b) = text[inner..].find(close).map(|i| inner + i) else {
                break;
            };
            let end = b + close.len_utf8();
            let rest = &text[end..];
            let sentence = [". ", ".\n", "\n\n"]
                .iter()
                .filter_map(|stop| rest.find(stop))
                .min()
                .map_or(rest, |i| &rest[..i]);
            if cites(sentence) {
                blank(&mut out, a, end);
            }
            from = end;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Spans of `SPAN` or more words of `text` that also stand in the cable: (line, the words).
fn copied_spans(cable: &HashSet<u64>, text: &str) -> Vec<(usize, String)> {
    use std::hash::{Hash, Hasher};
    let hash = |ws: &[(usize, String)]| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (_, w) in ws {
            w.hash(&mut h);
        }
        h.finish()
    };
    let clean = prose(text);
    let ws = words(&clean);
    let mut out = Vec::new();
    let mut i = 0;
    while i + SPAN <= ws.len() {
        if cable.contains(&hash(&ws[i..i + SPAN])) {
            let mut j = i + SPAN;
            while j < ws.len() && cable.contains(&hash(&ws[j + 1 - SPAN..=j])) {
                j += 1;
            }
            let line = text[..ws[i].0].matches('\n').count() + 1;
            let span: Vec<&str> = ws[i..j].iter().map(|(_, w)| w.as_str()).collect();
            out.push((line, span.join(" ")));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn cable_windows(cable: &str) -> HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let ws = words(cable);
    ws.windows(SPAN)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for (_, x) in w {
                x.hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

/// Prose links to the cable whose label names another paragraph than the anchor:
/// `[¶9 C](…#p9-c)` and `[¶4](…#p4)` match; `[¶9](…#p9-c)` or `[¶8](…#p9)` do not.
fn mislabelled_citations(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[¶").map(|i| from + i) {
        let Some(close) = text[i..].find("](").map(|j| i + j) else {
            break;
        };
        let label = &text[i + 1..close];
        let dest_end = text[close..].find(')').map_or(text.len(), |j| close + j);
        let dest = &text[close + 2..dest_end];
        from = dest_end;
        let Some(anchor) = dest.split_once('#').map(|(_, a)| a) else {
            continue;
        };
        if !dest.starts_with("@/sources/state-032018.md") && !dest.starts_with('#') {
            continue;
        }
        let expected = label
            .trim_start_matches('¶')
            .trim()
            .to_lowercase()
            .replace(' ', "-");
        if anchor != format!("p{expected}") {
            let line = text[..i].matches('\n').count() + 1;
            out.push((line, format!("[{label}] points at #{anchor}")));
        }
    }
    out
}

/// The front matter's `key: value` lines (top level), as written.
fn front_matter(text: &str) -> HashMap<String, String> {
    let body = text
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---").map(|(f, _)| f))
        .unwrap_or("");
    body.lines()
        .filter(|l| !l.starts_with([' ', '-', '#']))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

/// Pages of a sourced type with no citation of a source (no `cites:`, no prose link to the
/// cable or to the reference sources).
fn uncited(
    path: &str,
    text: &str,
    type_of: &dyn Fn(&str) -> Option<&'static str>,
) -> Option<String> {
    let t = type_of(path)?;
    if !["country", "benchmark", "statute", "article", "mem-theme"].contains(&t) {
        return None;
    }
    let head = text.split("\n---").next().unwrap_or("");
    let cites = head.contains("cable#p");
    let prose =
        text.contains("](@/sources/state-032018.md#p") || text.contains("](@/references.md#s");
    (!cites && !prose).then(|| format!("a `{t}` page that cites no source"))
}

/// A description that states the producer/transit classification without the mark its
/// `role_certainty` gives it.
fn unmarked_description(text: &str) -> Option<String> {
    let fm = front_matter(text);
    let mark = match fm.get("role_certainty").map(String::as_str) {
        Some("U") => "[U]",
        Some("K") => "[K]",
        _ => return None,
    };
    let description = fm.get("description")?;
    let lower = description.to_lowercase();
    // The classification's own words: a sourced figure ("opium poppy grower, 35,800 ha",
    // S38) or the cable's own statement (Peru's coca) is not the derived label.
    let states = ["producer", "producing", "transit"]
        .iter()
        .any(|w| lower.contains(w));
    (states && !description.contains(mark))
        .then(|| format!("the description states the classification without {mark}: {description}"))
}

/// The type a content file gets (folder defaults of site.yaml; `type:` wins).
fn type_of_path(rel: &str, text: &str) -> Option<&'static str> {
    if rel.ends_with("_index.md") {
        return None;
    }
    const TYPES: &[&str] = &[
        "country",
        "benchmark",
        "statute",
        "article",
        "mem-theme",
        "event",
        "term",
        "area",
        "category",
        "criterion",
        "document",
    ];
    if let Some(t) = front_matter(text).get("type") {
        return TYPES.iter().copied().find(|x| x == t);
    }
    let folder = rel.strip_prefix("content/").unwrap_or(rel);
    let defaults: &[(&str, &str)] = &[
        ("countries/peru/fy2010/", "benchmark"),
        ("countries/", "country"),
        ("legislation/criteria/", "criterion"),
        ("legislation/", "statute"),
        ("convention/articles/", "article"),
        ("mem/themes/", "mem-theme"),
    ];
    defaults
        .iter()
        .find(|(f, _)| folder.starts_with(f))
        .map(|(_, t)| *t)
}

#[test]
fn the_knowledge_base_copies_no_long_span_of_the_cable() {
    let cable = cable_windows(&cable_body());
    let found: Vec<String> = content_files()
        .iter()
        .flat_map(|(p, t)| {
            copied_spans(&cable, t)
                .into_iter()
                .map(move |(l, s)| format!("{p}:{l}: \"{s}\""))
        })
        .collect();
    assert!(
        found.is_empty(),
        "{} spans of {SPAN}+ words copied from the cable:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn copying_is_found_and_marked_quotations_are_not() {
    let cable = cable_windows("¶5. The Majors List demarche process enables the USG to present its priority counternarcotics objectives to the major drug-transit countries.");
    let copied = "---\ntitle: X\n---\nIntro.\n\nThe majors list demarche process enables the USG to present its priority counternarcotics objectives here.\n";
    assert_eq!(copied_spans(&cable, copied).len(), 1);
    assert_eq!(copied_spans(&cable, copied)[0].0, 6);
    let quoted = "The cable says \"the Majors List demarche process enables the USG to present its priority counternarcotics objectives\" ([¶5](@/sources/state-032018.md#p5)).\n";
    assert!(copied_spans(&cable, quoted).is_empty());
    let block = "> The Majors List demarche process enables the USG to present its priority counternarcotics objectives\n> ([¶5](@/sources/state-032018.md#p5))\n";
    assert!(copied_spans(&cable, block).is_empty());
    let uncited_quote = "\"The Majors List demarche process enables the USG to present its priority counternarcotics objectives\", it says.\n";
    assert_eq!(
        copied_spans(&cable, uncited_quote).len(),
        1,
        "a quotation needs its citation"
    );
}

#[test]
fn every_citation_label_names_its_anchor() {
    let found: Vec<String> = content_files()
        .iter()
        .flat_map(|(p, t)| {
            mislabelled_citations(t)
                .into_iter()
                .map(move |(l, s)| format!("{p}:{l}: {s}"))
        })
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_mislabelled_citation_is_found() {
    let text = "See [¶9 C](@/sources/state-032018.md#p9-c), [¶4](@/sources/state-032018.md#p4),\n[¶9](@/sources/state-032018.md#p9-c) and [¶8](#p9).\n";
    let found = mislabelled_citations(text);
    assert_eq!(
        found,
        [
            (2, "[¶9] points at #p9-c".to_string()),
            (2, "[¶8] points at #p9".to_string())
        ]
    );
}

#[test]
fn every_page_of_a_sourced_type_cites_a_source() {
    let found: Vec<String> = content_files()
        .iter()
        .filter_map(|(p, t)| {
            uncited(p, t, &|rel| type_of_path(rel, t)).map(|m| format!("{p}: {m}"))
        })
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_page_without_a_citation_is_found() {
    let cited = "---\ntitle: A\ncites: [\"cable#p8\"]\n---\nText.\n";
    let linked = "---\ntitle: A\n---\nSee [S13](@/references.md#s13).\n";
    let bare = "---\ntitle: A\n---\nText without a source.\n";
    let t = |_: &str| Some("statute");
    assert_eq!(uncited("content/legislation/x.md", cited, &t), None);
    assert_eq!(uncited("content/legislation/x.md", linked, &t), None);
    assert!(uncited("content/legislation/x.md", bare, &t).is_some());
    assert_eq!(
        uncited("content/glossary/x.md", bare, &|_| Some("term")),
        None
    );
}

#[test]
fn descriptions_keep_the_mark_of_an_uncertain_classification() {
    let found: Vec<String> = content_files()
        .iter()
        .filter_map(|(p, t)| unmarked_description(t).map(|m| format!("{p}: {m}")))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn an_unmarked_description_is_found() {
    let page = |d: &str| format!("---\ntitle: X\ndescription: \"{d}\"\nrole_certainty: U\n---\n");
    assert!(unmarked_description(&page("A major transit country on the list.")).is_some());
    assert_eq!(
        unmarked_description(&page("Often described as a transit country [U].")),
        None
    );
    assert_eq!(unmarked_description(&page("On the FY2010 list.")), None);
    let known = "---\ntitle: X\ndescription: \"A coca producer.\"\nrole_certainty: V\n---\n";
    assert_eq!(unmarked_description(known), None);
}

#[test]
fn the_types_of_content_paths() {
    assert_eq!(
        type_of_path("content/countries/peru/fy2010/x.md", ""),
        Some("benchmark")
    );
    assert_eq!(
        type_of_path("content/countries/bolivia.md", ""),
        Some("country")
    );
    assert_eq!(
        type_of_path("content/legislation/faa-487.md", ""),
        Some("statute")
    );
    assert_eq!(
        type_of_path("content/legislation/criteria/x.md", ""),
        Some("criterion")
    );
    assert_eq!(type_of_path("content/countries/_index.md", ""), None);
}
