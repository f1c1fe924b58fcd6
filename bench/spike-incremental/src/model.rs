//! Shared, pure parts of the toy site generator: input generation, parsing, URL rule,
//! rendering. Both engines call exactly these functions, so outputs must match byte for byte.
//! (Not counted in either engine's line count.)

use std::hash::{Hash, Hasher};

pub const NTYPES: u8 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Meta {
    pub title: String,
    pub ty: u8,
    pub weight: i64,
    pub slug: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Parsed {
    pub meta: Meta,
    /// Link targets as written, e.g. "p123.md" (from `[x](@/p123.md)`), deduplicated, in order.
    pub links: Vec<String>,
    pub body: String,
}

/// What other pages may read of a page: its URL and title.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct View {
    pub url: String,
    pub title: String,
}

pub fn fx<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    v.hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------- generation

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "static", "site", "page", "knowledge", "typed", "graph",
    "render", "template", "query", "cache", "revision", "salsa", "table", "hash", "link", "note",
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do",
];

pub fn page_path(i: usize) -> String {
    format!("p{i}.md")
}

/// Synthetic page `i` of a site of `n` pages: header + ~2 KB body with 3–8 links.
/// 1% of links go to the 10 "hub" pages p0..p9 (so p0 has ~50–60 backlinks at n=10k);
/// pages with i % 500 == 7 also link to `new0.md`, which does not exist until edit (e) adds it.
pub fn gen_page(i: usize, n: usize) -> (String, String) {
    let mut r = Rng(i as u64 * 7919 + 1);
    let w = |r: &mut Rng| WORDS[r.below(WORDS.len() as u64) as usize];
    let mut t = String::with_capacity(2300);
    t.push_str("+++\n");
    t.push_str(&format!("title = Page {i} {}\n", w(&mut r)));
    t.push_str(&format!("type = t{}\n", r.below(NTYPES as u64)));
    t.push_str(&format!("weight = {}\n", r.below(100)));
    if r.below(10) < 3 {
        t.push_str(&format!("slug = s{i}-{}\n", w(&mut r)));
    }
    t.push_str("+++\n");
    let nlinks = 3 + r.below(6) as usize;
    let mut links: Vec<String> = (0..nlinks)
        .map(|_| {
            if r.below(100) == 0 {
                page_path(r.below(10) as usize)
            } else {
                page_path(r.below(n as u64) as usize)
            }
        })
        .collect();
    if i % 500 == 7 {
        links.push("new0.md".to_string());
    }
    let mut li = 0;
    let mut para_words = 0;
    while t.len() < 2200 || li < links.len() {
        t.push_str(w(&mut r));
        para_words += 1;
        if li < links.len() && r.below(40) == 0 {
            t.push_str(&format!(" [see {}](@/{})", w(&mut r), links[li]));
            li += 1;
        }
        if para_words > 60 && r.below(10) == 0 {
            t.push_str(".\n\n");
            para_words = 0;
        } else {
            t.push(' ');
        }
    }
    t.push('\n');
    (page_path(i), t)
}

/// Replace (or insert) a header line `key = value`; `None` removes it.
pub fn set_header(text: &str, key: &str, value: Option<&str>) -> String {
    let (head, body) = text[4..].split_once("+++\n").expect("header");
    let mut out = String::from("+++\n");
    let mut done = false;
    for line in head.lines() {
        if line.split_once(" = ").map(|(k, _)| k) == Some(key) {
            if let Some(v) = value {
                out.push_str(&format!("{key} = {v}\n"));
            }
            done = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !done {
        if let Some(v) = value {
            out.push_str(&format!("{key} = {v}\n"));
        }
    }
    out.push_str("+++\n");
    out.push_str(body);
    out
}

// ---------------------------------------------------------------- derived values (pure)

pub fn parse(text: &str) -> Parsed {
    let (head, body) = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("+++\n"))
        .unwrap_or(("", text));
    let mut meta = Meta { title: String::new(), ty: 0, weight: 0, slug: None };
    for line in head.lines() {
        if let Some((k, v)) = line.split_once(" = ") {
            match k {
                "title" => meta.title = v.to_string(),
                "type" => meta.ty = v.trim_start_matches('t').parse().unwrap_or(0),
                "weight" => meta.weight = v.parse().unwrap_or(0),
                "slug" => meta.slug = Some(v.to_string()),
                _ => {}
            }
        }
    }
    let mut links: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(p) = rest.find("](@/") {
        let after = &rest[p + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        if !links.iter().any(|l| l == target) {
            links.push(target.to_string());
        }
        rest = &after[end..];
    }
    Parsed { meta, links, body: body.to_string() }
}

pub fn url(path: &str, meta: &Meta) -> String {
    match &meta.slug {
        Some(s) => format!("/{s}/"),
        None => format!("/{}/", path.trim_end_matches(".md")),
    }
}

pub fn view(path: &str, meta: &Meta) -> View {
    View { url: url(path, meta), title: meta.title.clone() }
}

/// Body -> HTML. Internal links `[x](@/p.md)` become links to the target's URL with the
/// target's title as text (`resolve` gives (url, title) or None for a broken link).
pub fn body_html<'a>(body: &str, mut resolve: impl FnMut(&str) -> Option<(&'a str, &'a str)>) -> String {
    let mut md = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(p) = rest.find("](@/") {
        let open = rest[..p].rfind('[').unwrap_or(p);
        md.push_str(&rest[..open]);
        let after = &rest[p + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        match resolve(target) {
            Some((url, title)) => {
                md.push('[');
                md.push_str(title);
                md.push_str("](");
                md.push_str(url);
                md.push(')');
            }
            None => {
                md.push_str("**broken link: ");
                md.push_str(target);
                md.push_str("**");
            }
        }
        rest = &after[(end + 1).min(after.len())..];
    }
    md.push_str(rest);
    let mut html = String::with_capacity(md.len() + md.len() / 4);
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
    html
}

/// The page template.
pub fn page_html<'a>(
    title: &str,
    body_html: &str,
    backlinks: impl Iterator<Item = (&'a str, &'a str)>,
    first_of_type: Option<&str>,
) -> String {
    let mut s = String::with_capacity(body_html.len() + 512);
    s.push_str("<!doctype html><html><head><title>");
    s.push_str(title);
    s.push_str("</title></head><body><h1>");
    s.push_str(title);
    s.push_str("</h1>\n<main>");
    s.push_str(body_html);
    s.push_str("</main>\n<aside>First of this type: ");
    s.push_str(first_of_type.unwrap_or("(none)"));
    s.push_str("</aside>\n<ul class=\"backlinks\">");
    for (url, t) in backlinks {
        s.push_str("<li><a href=\"");
        s.push_str(url);
        s.push_str("\">");
        s.push_str(t);
        s.push_str("</a></li>");
    }
    s.push_str("</ul></body></html>\n");
    s
}

/// Order of `pages_of_type`: weight, then title, then path (tie-break so it is total).
pub fn type_order_key<'a>(meta: &'a Meta, path: &'a str) -> (i64, &'a str, &'a str) {
    (meta.weight, meta.title.as_str(), path)
}
