//! Writes a synthetic site for benchmarks, in the shape of `shared/perf/gen_corpus.py`:
//! 70% benchmark-like pages (300–800 words: headings, a list, a table, a fenced code block in
//! ~10% of all pages, 3–6 internal links), 20% article-like (600–1,400 words, a numbered list),
//! 10% country profiles (200–450 words, a table); ~650 words a page (10,000 pages ≈ 74 MB of
//! Markdown, like the Python generator). Instead of taxonomies, pages reference small typed
//! pages (20 countries, 8 categories, 4 statutes, 7 MEM themes) through checked reference
//! fields (`country: countries/c-07`, `categories: [...]`, `statutes`, `mem_themes`), an integer
//! `fiscal_year` and an `assessment` enum. Every section has an `_index.md`; every link and
//! reference resolves (`majors check` reports no errors and no orphans).
//!
//! Flavors:
//! - `majors` (default): `site.yaml` + `content/**` with YAML front matter and `@/path.md` links.
//! - `mdbook`: the same pages (same words, same links) as an mdBook: `book.toml`,
//!   `src/SUMMARY.md` listing every page, plain relative links, the typed fields as a list of
//!   links at the top of each page (mdBook has no front matter).
//!
//! Deterministic (std only, splitmix64 seeded per page): same arguments, same bytes.
//!
//! Usage: `cargo run --release --example gen_corpus -- --pages N --out DIR [--flavor majors|mdbook] [--table]`
//! `--table` (majors flavor) also declares a table in `site.yaml`: the country profiles by
//! `series` (rows, 25) and `edition` (columns), two integer fields only this option writes, one
//! profile per cell (1,000 cells at 10,000 pages); everything else is byte for byte the same.
//! DIR is replaced if it holds an earlier corpus (a `.gen-corpus` marker); any other existing
//! non-empty folder is refused.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Bumped whenever the output changes, so `bench/run.sh` regenerates cached corpora.
const VERSION: u32 = 3;

const COUNTRIES: [(&str, &str); 20] = [
    ("Austria", "AT"),
    ("Belgium", "BE"),
    ("Brazil", "BR"),
    ("Canada", "CA"),
    ("Chile", "CL"),
    ("Denmark", "DK"),
    ("Estonia", "EE"),
    ("Finland", "FI"),
    ("France", "FR"),
    ("Germany", "DE"),
    ("India", "IN"),
    ("Ireland", "IE"),
    ("Japan", "JP"),
    ("Kenya", "KE"),
    ("Mexico", "MX"),
    ("Netherlands", "NL"),
    ("Norway", "NO"),
    ("Poland", "PL"),
    ("Spain", "ES"),
    ("United Kingdom", "GB"),
];
const CATEGORIES: [&str; 8] = [
    "Procurement",
    "Data Protection",
    "Open Data",
    "Digital Identity",
    "Accessibility",
    "Cybersecurity",
    "Interoperability",
    "Cloud Adoption",
];
const STATUTES: [&str; 4] = [
    "Freedom of Information Act",
    "Data Act",
    "Digital Services Act",
    "Public Records Act",
];
const THEMES: [&str; 7] = [
    "Transparency",
    "Efficiency",
    "Inclusion",
    "Resilience",
    "Trust",
    "Innovation",
    "Accountability",
];
const ASSESSMENTS: [&str; 4] = ["met", "partly-met", "not-met", "not-assessed"];
const WORDS: &str = "agency baseline benchmark budget capacity citizen compliance consultation coverage data \
dataset delivery deployment directive digital document evaluation evidence framework funding governance guidance \
implementation indicator infrastructure institution interface legislation maturity measure methodology ministry \
monitoring municipality network objective obligation outcome oversight participation performance platform policy \
portal practice procedure process programme provider quality record reform register regulation report requirement \
review risk roadmap scheme sector service standard strategy supplier survey system target threshold timeline \
transition user value vendor workflow adoption analysis annual approach assessment authority availability average \
central common comparable current detailed early effective external federal formal general higher internal key \
large local major minimal national new open overall partial primary public recent regional relevant remaining \
robust secure shared significant small specific stable strong structured substantial sufficient technical total \
uniform unified usable wider achieved adopted aligned applied assessed audited built collected compared completed \
defined delivered designed developed documented enabled established expanded extended identified improved \
increased introduced launched maintained measured migrated monitored observed operated planned procured published \
recorded reduced reported required reviewed scaled selected supported tested tracked updated used validated \
verified across after against also although because before between beyond during however including meanwhile \
moreover overall since therefore through under whereas while within without";
const CODE: [(&str, &str); 4] = [
    ("python", "def score(rows):\n    total = sum(r['value'] for r in rows)\n    return total / max(len(rows), 1)\n\nprint(score([{'value': 3}, {'value': 5}]))"),
    ("rust", "fn score(rows: &[f64]) -> f64 {\n    let total: f64 = rows.iter().sum();\n    total / rows.len().max(1) as f64\n}"),
    ("json", "{\n  \"indicator\": \"coverage\",\n  \"value\": 0.82,\n  \"source\": \"annual survey\"\n}"),
    ("sql", "SELECT country, AVG(score) AS avg_score\nFROM benchmark_results\nWHERE fiscal_year = 2021\nGROUP BY country ORDER BY avg_score DESC;"),
];

#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Majors,
    Mdbook,
}

/// splitmix64, seeded per page.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform-enough integer in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

/// The small typed reference pages: (folder, id prefix, titles).
fn ref_id(folder: &str, k: usize) -> String {
    match folder {
        "countries" => format!("countries/c-{k:02}"),
        "categories" => format!("categories/cat-{k}"),
        "statutes" => format!("statutes/st-{k}"),
        _ => format!("themes/mt-{k}"),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Benchmark,
    Article,
    Profile,
}

fn kind_of(i: usize) -> Kind {
    match i % 10 {
        0..=6 => Kind::Benchmark,
        7 | 8 => Kind::Article,
        _ => Kind::Profile,
    }
}

/// Path of page `i` without `.md`, relative to the content root.
fn stem(i: usize) -> String {
    match kind_of(i) {
        Kind::Benchmark => format!("benchmarks/b-{i:06}"),
        Kind::Article => format!("articles/a-{i:06}"),
        Kind::Profile => format!("profiles/p-{i:06}"),
    }
}

fn title_of(i: usize) -> String {
    let c = COUNTRIES[i % 20].0;
    let cat = CATEGORIES[(i / 3) % 8];
    match kind_of(i) {
        Kind::Benchmark => format!("Benchmark {i}: {cat} in {c}"),
        Kind::Article => format!("Article {i}: notes on {}", cat.to_lowercase()),
        Kind::Profile => format!("Country profile {i}: {c}"),
    }
}

/// A link from a page in one of the top-level folders to the page/file `target_stem`.
fn link(flavor: Flavor, text: &str, target_stem: &str) -> String {
    match flavor {
        Flavor::Majors => format!("[{text}](@/{target_stem}.md)"),
        Flavor::Mdbook => format!("[{text}](../{target_stem}.md)"),
    }
}

fn sentence(rng: &mut Rng, words: &[&str], lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut out = String::new();
    for k in 0..n {
        let w = rng.pick(words);
        if k == 0 {
            let mut chars = w.chars();
            if let Some(f) = chars.next() {
                out.extend(f.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push('.');
    out
}

fn paragraph(rng: &mut Rng, words: &[&str], lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    (0..n)
        .map(|_| sentence(rng, words, 8, 18))
        .collect::<Vec<_>>()
        .join(" ")
}

fn count_words(parts: &[String]) -> usize {
    parts.iter().map(|p| p.split_whitespace().count()).sum()
}

fn bullets(prefix: &str, items: &[String]) -> String {
    items
        .iter()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A typed field value: a scalar, one reference, or a list of references.
enum Value {
    Int(usize),
    Enum(&'static str),
    Ref(String),
    Refs(Vec<String>),
}

/// Title of a reference page from its id.
fn ref_title(id: &str) -> &'static str {
    let (folder, rest) = id.split_once('/').unwrap();
    let k: usize = rest.rsplit('-').next().unwrap().parse().unwrap();
    match folder {
        "countries" => COUNTRIES[k].0,
        "categories" => CATEGORIES[k],
        "statutes" => STATUTES[k],
        _ => THEMES[k],
    }
}

/// One generated page: the words are the same in every flavor (the RNG never depends on it).
fn page(i: usize, n: usize, words: &[&str], flavor: Flavor, table: bool) -> String {
    let mut rng = Rng(1_000_003 * 7 + i as u64);
    let year = 2016 + (i * 7) % 10;
    let date = format!("{year:04}-{:02}-{:02}", 1 + (i * 5) % 12, 1 + (i * 11) % 28);
    let country = i % 20;
    let cat = (i / 3) % 8;
    let description = sentence(&mut rng, words, 8, 14);
    let nlinks = rng.range(3, 6).min(n - 1);
    let mut targets: Vec<usize> = Vec::new();
    while targets.len() < nlinks {
        let j = rng.range(0, n - 1);
        if j != i && !targets.contains(&j) {
            targets.push(j);
        }
    }
    let links: Vec<String> = targets
        .iter()
        .map(|&j| link(flavor, &title_of(j), &stem(j)))
        .collect();
    let mut fields: Vec<(&str, Value)> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let target_words;
    match kind_of(i) {
        Kind::Benchmark => {
            let mut cats = vec![cat];
            if rng.range(0, 9) < 3 {
                let extra = rng.range(0, 7);
                if extra != cat {
                    cats.push(extra);
                    cats.sort_unstable();
                }
            }
            let mut themes = vec![rng.range(0, 6)];
            if rng.range(0, 1) == 1 {
                let t = rng.range(0, 6);
                if t != themes[0] {
                    themes.push(t);
                }
            }
            fields.push(("country", Value::Ref(ref_id("countries", country))));
            fields.push((
                "categories",
                Value::Refs(cats.iter().map(|&k| ref_id("categories", k)).collect()),
            ));
            fields.push(("statutes", Value::Refs(vec![ref_id("statutes", i % 4)])));
            fields.push((
                "mem_themes",
                Value::Refs(themes.iter().map(|&k| ref_id("themes", k)).collect()),
            ));
            fields.push(("fiscal_year", Value::Int(year)));
            fields.push(("assessment", Value::Enum(ASSESSMENTS[rng.range(0, 3)])));
            target_words = rng.range(300, 800);
            parts.push(paragraph(&mut rng, words, 2, 4));
            parts.push("## Summary".into());
            parts.push(paragraph(&mut rng, words, 3, 6));
            parts.push("## Findings".into());
            let k = rng.range(4, 7);
            let items: Vec<String> = (0..k).map(|_| sentence(&mut rng, words, 6, 12)).collect();
            parts.push(bullets("- ", &items));
            parts.push("## Data".into());
            let mut rows = vec![
                "| Indicator | Baseline | Target | Status |".to_string(),
                "|---|---:|---:|---|".to_string(),
            ];
            for _ in 0..rng.range(4, 8) {
                let row = format!(
                    "| {} {} | {} | {} | {} |",
                    rng.pick(words),
                    rng.pick(words),
                    rng.range(0, 100),
                    rng.range(50, 100),
                    rng.pick(&["met", "partial", "not met", "pending"])
                );
                rows.push(row);
            }
            parts.push(rows.join("\n"));
            // 1 in 7 benchmark pages = 10% of all pages.
            if rng.range(0, 6) == 0 {
                let (lang, code) = CODE[rng.range(0, CODE.len() - 1)];
                parts.push("## Example".into());
                parts.push(format!("```{lang}\n{code}\n```"));
            }
            parts.push("## Discussion".into());
            let half = (links.len() / 2 + 1).min(links.len());
            let disc: Vec<String> = links[..half]
                .iter()
                .map(|lk| {
                    format!(
                        "{} See {lk} for comparison. {}",
                        sentence(&mut rng, words, 8, 18),
                        sentence(&mut rng, words, 8, 18)
                    )
                })
                .collect();
            parts.push(disc.join("\n\n"));
            if links.len() > half {
                parts.push("### Related".into());
                parts.push(bullets("- ", &links[half..]));
            }
        }
        Kind::Article => {
            let k = rng.range(1, 3);
            let mut cs: Vec<usize> = Vec::new();
            while cs.len() < k {
                let c = rng.range(0, 19);
                if !cs.contains(&c) {
                    cs.push(c);
                }
            }
            cs.sort_unstable();
            fields.push((
                "countries",
                Value::Refs(cs.iter().map(|&c| ref_id("countries", c)).collect()),
            ));
            fields.push(("categories", Value::Refs(vec![ref_id("categories", cat)])));
            fields.push((
                "mem_themes",
                Value::Refs(vec![ref_id("themes", rng.range(0, 6))]),
            ));
            fields.push(("fiscal_year", Value::Int(year)));
            target_words = rng.range(600, 1400);
            parts.push(paragraph(&mut rng, words, 3, 5));
            for h in 0..rng.range(3, 5) {
                let heading = sentence(&mut rng, words, 3, 6);
                parts.push(format!("## {}", heading.trim_end_matches('.')));
                parts.push(paragraph(&mut rng, words, 3, 6));
                if h == 1 {
                    let k = rng.range(3, 6);
                    let items: Vec<String> =
                        (0..k).map(|_| sentence(&mut rng, words, 6, 12)).collect();
                    parts.push(bullets("1. ", &items));
                }
            }
            parts.push("## Further reading".into());
            parts.push(bullets("- ", &links));
        }
        Kind::Profile => {
            fields.push(("country", Value::Ref(ref_id("countries", country))));
            fields.push(("fiscal_year", Value::Int(year)));
            if table {
                // The profile's ordinal (every tenth page is one) spread over 25 rows.
                fields.push(("series", Value::Int(i / 10 % TABLE_ROWS)));
                fields.push(("edition", Value::Int(i / 10 / TABLE_ROWS)));
            }
            target_words = rng.range(200, 450);
            parts.push(paragraph(&mut rng, words, 2, 3));
            parts.push("## Key figures".into());
            let mut rows = vec!["| Metric | Value |".to_string(), "|---|---:|".to_string()];
            for _ in 0..rng.range(4, 6) {
                let row = format!(
                    "| {} {} | {} |",
                    rng.pick(words),
                    rng.pick(words),
                    rng.range(1, 9999)
                );
                rows.push(row);
            }
            parts.push(rows.join("\n"));
            parts.push("## Benchmarks and articles".into());
            parts.push(bullets("- ", &links));
        }
    }
    // Pad with paragraphs after the lead paragraph until the page reaches its target length
    // (as gen_corpus.py does), so the link lists stay at the end.
    let mut words_so_far = count_words(&parts);
    let mut padding = Vec::new();
    while words_so_far < target_words {
        let p = paragraph(&mut rng, words, 3, 6);
        words_so_far += p.split_whitespace().count();
        padding.push(p);
    }
    if !padding.is_empty() {
        parts.insert(2.min(parts.len()), padding.join("\n\n"));
    }

    let title = title_of(i);
    let mut out = String::with_capacity(8192);
    match flavor {
        Flavor::Majors => {
            let _ = write!(
                out,
                "---\ntitle: \"{title}\"\ndate: {date}\ndescription: \"{description}\"\n"
            );
            for (name, value) in &fields {
                let _ = match value {
                    Value::Int(v) => writeln!(out, "{name}: {v}"),
                    Value::Enum(v) => writeln!(out, "{name}: {v}"),
                    Value::Ref(id) => writeln!(out, "{name}: {id}"),
                    Value::Refs(ids) => writeln!(out, "{name}: [{}]", ids.join(", ")),
                };
            }
            out.push_str("---\n\n");
        }
        Flavor::Mdbook => {
            let _ = write!(out, "# {title}\n\n*{date}*: {description}\n\n");
            for (name, value) in &fields {
                let shown = match value {
                    Value::Int(v) => v.to_string(),
                    Value::Enum(v) => v.to_string(),
                    Value::Ref(id) => link(flavor, ref_title(id), id),
                    Value::Refs(ids) => ids
                        .iter()
                        .map(|id| link(flavor, ref_title(id), id))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                let _ = writeln!(out, "- {}: {shown}", name.replace('_', " "));
            }
            out.push('\n');
        }
    }
    out.push_str(&parts.join("\n\n"));
    out.push('\n');
    out
}

const SITE_YAML: &str = "\
# Generated by examples/gen_corpus.rs: a synthetic site for benchmarks.
title: Synthetic knowledge base
description: A generated corpus for benchmarks.
base_url: https://bench.example/
markdown:
  allow_raw_html: false
defaults:
  - { folder: countries, type: country }
  - { folder: categories, type: category }
  - { folder: statutes, type: statute }
  - { folder: themes, type: mem-theme }
  - { folder: benchmarks, type: benchmark }
  - { folder: articles, type: article }
  - { folder: profiles, type: profile }
types:
  country:
    label: Country
    plural: Countries
    fields:
      iso: { kind: string, required: true, label: ISO code }
  category:
    label: Category
    plural: Categories
    fields:
      number: { kind: integer, required: true, label: Number }
  statute:
    label: Statute
    plural: Statutes
    fields:
      short: { kind: string, required: true, label: Short title }
  mem-theme:
    label: MEM theme
    plural: MEM themes
    fields:
      number: { kind: integer, required: true, label: Area }
  benchmark:
    label: Benchmark
    plural: Benchmarks
    fields:
      country: { kind: reference, to: country, required: true, label: Country }
      categories: { kind: list, of: { kind: reference, to: category }, required: true, label: Categories }
      statutes: { kind: list, of: { kind: reference, to: statute }, label: Statutes }
      mem_themes: { kind: list, of: { kind: reference, to: mem-theme }, label: MEM themes }
      fiscal_year: { kind: integer, required: true, label: Fiscal year }
      assessment: { kind: enum, values: [met, partly-met, not-met, not-assessed], required: true, label: Assessment }
  article:
    label: Article
    plural: Articles
    fields:
      countries: { kind: list, of: { kind: reference, to: country }, label: Countries }
      categories: { kind: list, of: { kind: reference, to: category }, label: Categories }
      mem_themes: { kind: list, of: { kind: reference, to: mem-theme }, label: MEM themes }
      fiscal_year: { kind: integer, label: Fiscal year }
  profile:
    label: Country profile
    plural: Country profiles
    fields:
      country: { kind: reference, to: country, required: true, label: Country }
      fiscal_year: { kind: integer, required: true, label: Fiscal year }
";

/// What `--table` adds to `SITE_YAML` (whose last type is `profile`): two fields and a table.
const TABLE_YAML: &str = "      series: { kind: integer, label: Series }
      edition: { kind: integer, label: Edition }
tables:
  profiles:
    title: Country profiles by series and edition
    cells: profile
    rows: series
    columns: edition
";

/// The rows of the `--table` table.
const TABLE_ROWS: usize = 25;

const SECTIONS: [(&str, &str); 7] = [
    ("benchmarks", "Benchmarks"),
    ("articles", "Articles"),
    ("profiles", "Country profiles"),
    ("countries", "Countries"),
    ("categories", "Categories"),
    ("statutes", "Statutes"),
    ("themes", "MEM themes"),
];

/// The reference pages: (id, title, typed fields as front matter lines).
fn reference_pages() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (k, (name, iso)) in COUNTRIES.iter().enumerate() {
        out.push((
            ref_id("countries", k),
            name.to_string(),
            format!("iso: {iso}\n"),
        ));
    }
    for (k, name) in CATEGORIES.iter().enumerate() {
        out.push((
            ref_id("categories", k),
            name.to_string(),
            format!("number: {}\n", k + 1),
        ));
    }
    for (k, name) in STATUTES.iter().enumerate() {
        out.push((
            ref_id("statutes", k),
            name.to_string(),
            format!("short: \"{name}\"\n"),
        ));
    }
    for (k, name) in THEMES.iter().enumerate() {
        out.push((
            ref_id("themes", k),
            name.to_string(),
            format!("number: {}\n", k + 1),
        ));
    }
    out
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus --pages N (>= 2) --out DIR [--flavor majors|mdbook] [--table]");
    std::process::exit(2);
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pages = None;
    let mut out = None;
    let mut flavor = Flavor::Majors;
    let mut table = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pages" => {
                pages = it
                    .next()
                    .and_then(|v| v.replace([',', '_'], "").parse::<usize>().ok())
            }
            "--out" => out = it.next().map(PathBuf::from),
            "--table" => table = true,
            "--flavor" => {
                flavor = match it.next().map(String::as_str) {
                    Some("majors") => Flavor::Majors,
                    Some("mdbook") => Flavor::Mdbook,
                    _ => usage(),
                }
            }
            _ => usage(),
        }
    }
    let (Some(n), Some(out)) = (pages.filter(|n| *n >= 2), out) else {
        usage()
    };
    if table && flavor != Flavor::Majors {
        usage()
    }
    let marker = out.join(".gen-corpus");
    if out.exists() {
        let empty = std::fs::read_dir(&out)?.next().is_none();
        if !empty && !marker.exists() {
            eprintln!(
                "gen_corpus: {} exists and is not a generated corpus; refusing to replace it",
                out.display()
            );
            std::process::exit(1);
        }
        std::fs::remove_dir_all(&out)?;
    }
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let flavor_name = if flavor == Flavor::Majors {
        "majors"
    } else {
        "mdbook"
    };
    let content = match flavor {
        Flavor::Majors => out.join("content"),
        Flavor::Mdbook => out.join("src"),
    };
    // Section pages.
    match flavor {
        Flavor::Majors => {
            let config = if table {
                format!("{SITE_YAML}{TABLE_YAML}")
            } else {
                SITE_YAML.to_string()
            };
            write(&out.join("site.yaml"), &config)?;
            let mut home = String::from("---\ntitle: Synthetic knowledge base\n---\n\nA generated corpus for benchmarks:\n\n");
            for (dir, title) in SECTIONS {
                let _ = writeln!(home, "- [{title}](@/{dir}/_index.md)");
            }
            home.push_str("- [Search](@/search.md)\n");
            write(&content.join("_index.md"), &home)?;
            // The default theme's search box submits to /search/.
            write(
                &content.join("search.md"),
                "---\ntitle: Search\ntemplate: search.html\nweight: 900\n---\n",
            )?;
            for (dir, title) in SECTIONS {
                let sort = if matches!(dir, "benchmarks" | "articles" | "profiles") {
                    "sort_by: date\n"
                } else {
                    ""
                };
                let text = format!("---\ntitle: {title}\n{sort}---\n\nThis section of the knowledge base collects {}.\n", title.to_lowercase());
                write(&content.join(dir).join("_index.md"), &text)?;
            }
            for (id, title, fields) in reference_pages() {
                write(
                    &content.join(format!("{id}.md")),
                    &format!("---\ntitle: \"{title}\"\n{fields}---\n\n{title}.\n"),
                )?;
            }
        }
        Flavor::Mdbook => {
            write(
                &out.join("book.toml"),
                "[book]\ntitle = \"Synthetic knowledge base\"\nauthors = [\"gen_corpus\"]\nlanguage = \"en\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
            )?;
            let mut summary =
                String::from("# Summary\n\n[Synthetic knowledge base](README.md)\n\n");
            let mut members: Vec<Vec<(String, String)>> = vec![Vec::new(); SECTIONS.len()];
            for i in 0..n {
                let s = match kind_of(i) {
                    Kind::Benchmark => 0,
                    Kind::Article => 1,
                    Kind::Profile => 2,
                };
                members[s].push((stem(i), title_of(i)));
            }
            for (id, title, _) in reference_pages() {
                let dir = id.split('/').next().unwrap();
                let s = SECTIONS.iter().position(|(d, _)| *d == dir).unwrap();
                members[s].push((id, title));
            }
            let mut home = String::from(
                "# Synthetic knowledge base\n\nA generated corpus for benchmarks:\n\n",
            );
            for ((dir, title), pages) in SECTIONS.iter().zip(&members) {
                let _ = writeln!(summary, "- [{title}]({dir}/index.md)");
                let _ = writeln!(home, "- [{title}]({dir}/index.md)");
                for (stem, t) in pages {
                    let _ = writeln!(summary, "  - [{t}]({stem}.md)");
                }
                write(
                    &content.join(dir).join("index.md"),
                    &format!(
                        "# {title}\n\nThis section of the knowledge base collects {}.\n",
                        title.to_lowercase()
                    ),
                )?;
            }
            write(&content.join("SUMMARY.md"), &summary)?;
            write(&content.join("README.md"), &home)?;
            for (id, title, fields) in reference_pages() {
                let fields = fields.trim_end().replace('"', "");
                write(
                    &content.join(format!("{id}.md")),
                    &format!("# {title}\n\n- {}\n\n{title}.\n", fields),
                )?;
            }
        }
    }
    let mut bytes = 0usize;
    let mut word_total = 0usize;
    for i in 0..n {
        let text = page(i, n, &words, flavor, table);
        bytes += text.len();
        word_total += text.split_whitespace().count();
        write(&content.join(format!("{}.md", stem(i))), &text)?;
    }
    std::fs::write(
        &marker,
        format!(
            "gen_corpus v{VERSION} --pages {n} --flavor {flavor_name}{}\n",
            if table { " --table" } else { "" }
        ),
    )?;
    eprintln!(
        "generated {n} pages ({flavor_name}): {:.1} MB of Markdown, {} words a page on average, in {}",
        bytes as f64 / 1e6,
        word_total / n,
        out.display()
    );
    Ok(())
}
