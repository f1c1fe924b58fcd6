//! Writes a synthetic majors site for benchmarks, in the shape of `shared/perf/gen_corpus.py`:
//! 70% benchmark-like pages (300–800 words: headings, a list, a table, a code block in ~10% of
//! all pages, 3–6 internal links), 20% article-like (600–1,400 words), 10% country profiles
//! (200–450 words, a table); ~650 words a page (10,000 pages ≈ 74 MB of Markdown). Instead of
//! taxonomies, pages reference typed pages (20 countries, 8 categories, 4 statutes, 7 MEM
//! themes) through checked reference fields. Deterministic: same arguments, same bytes.
//!
//! Usage: `cargo run --release --example gen_corpus -- --pages N --out DIR`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const COUNTRIES: [&str; 20] = [
    "Austria",
    "Belgium",
    "Brazil",
    "Canada",
    "Chile",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "India",
    "Ireland",
    "Japan",
    "Kenya",
    "Mexico",
    "Netherlands",
    "Norway",
    "Poland",
    "Spain",
    "United Kingdom",
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
    ("sql", "SELECT country, AVG(score) AS avg_score\nFROM benchmark_results\nWHERE fiscal_year = 'FY2021'\nGROUP BY country ORDER BY avg_score DESC;"),
];

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
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

fn kind_of(i: usize) -> &'static str {
    match i % 10 {
        0..=6 => "benchmark",
        7 | 8 => "article",
        _ => "profile",
    }
}

fn rel_path(i: usize) -> String {
    match kind_of(i) {
        "benchmark" => format!("benchmarks/b-{i:06}.md"),
        "article" => format!("articles/a-{i:06}.md"),
        _ => format!("profiles/c-{i:06}.md"),
    }
}

fn title_of(i: usize) -> String {
    let c = COUNTRIES[i % 20];
    let cat = CATEGORIES[(i / 3) % 8];
    match kind_of(i) {
        "benchmark" => format!("Benchmark {i}: {cat} in {c}"),
        "article" => format!("Article {i}: notes on {}", cat.to_lowercase()),
        _ => format!("Country profile {i}: {c}"),
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

fn page(i: usize, n: usize, words: &[&str]) -> String {
    let mut rng = Rng(1_000_003 * 7 + i as u64);
    let year = 2016 + (i * 7) % 10;
    let date = format!("{year:04}-{:02}-{:02}", 1 + (i * 5) % 12, 1 + (i * 11) % 28);
    let c = COUNTRIES[i % 20];
    let cat = CATEGORIES[(i / 3) % 8];
    let nlinks = rng.range(3, 6).min(n.saturating_sub(1));
    let mut targets: Vec<usize> = Vec::new();
    while targets.len() < nlinks {
        let j = rng.range(0, n - 1);
        if j != i && !targets.contains(&j) {
            targets.push(j);
        }
    }
    let links: Vec<String> = targets
        .iter()
        .map(|&j| format!("[{}](@/{})", title_of(j), rel_path(j)))
        .collect();
    let mut fm = format!(
        "---\ntitle: \"{}\"\ndate: {date}\ndescription: \"{}\"\n",
        title_of(i),
        sentence(&mut rng, words, 8, 14)
    );
    let mut parts: Vec<String> = Vec::new();
    let target_words;
    match kind_of(i) {
        "benchmark" => {
            let mut cats = vec![cat];
            if rng.range(0, 9) < 3 {
                let extra = rng.pick(&CATEGORIES);
                if extra != cat {
                    cats.push(extra);
                }
            }
            let theme = rng.pick(&THEMES);
            let _ = write!(
                fm,
                "country: countries/{}\ncategories: [{}]\nstatutes: [statutes/{}]\nmem_themes: [themes/{}]\nfiscal_year: {year}\nassessment: {}\n",
                slug(c),
                cats.iter().map(|x| format!("categories/{}", slug(x))).collect::<Vec<_>>().join(", "),
                slug(STATUTES[i % 4]),
                slug(theme),
                ["met", "partly-met", "not-met", "not-assessed"][i % 4]
            );
            target_words = rng.range(300, 800);
            parts.push(paragraph(&mut rng, words, 2, 4));
            parts.push("## Summary".into());
            parts.push(paragraph(&mut rng, words, 3, 6));
            parts.push("## Findings".into());
            let k = rng.range(4, 7);
            parts.push(
                (0..k)
                    .map(|_| format!("- {}", sentence(&mut rng, words, 6, 12)))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
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
            if rng.range(0, 6) == 0 {
                let (lang, code) = CODE[rng.range(0, CODE.len() - 1)];
                parts.push("## Example".into());
                parts.push(format!("```{lang}\n{code}\n```"));
            }
            parts.push("## Discussion".into());
            let half = links.len() / 2 + 1;
            let disc: Vec<String> = links[..half.min(links.len())]
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
                parts.push(
                    links[half..]
                        .iter()
                        .map(|l| format!("- {l}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
        }
        "article" => {
            let _ = write!(
                fm,
                "categories: [categories/{}]\nmem_themes: [themes/{}]\nfiscal_year: {year}\n",
                slug(cat),
                slug(rng.pick(&THEMES))
            );
            target_words = rng.range(600, 1400);
            parts.push(paragraph(&mut rng, words, 3, 5));
            for h in 0..rng.range(3, 5) {
                let heading = sentence(&mut rng, words, 3, 6);
                parts.push(format!("## {}", heading.trim_end_matches('.')));
                parts.push(paragraph(&mut rng, words, 3, 6));
                if h == 1 {
                    let k = rng.range(3, 6);
                    parts.push(
                        (0..k)
                            .map(|_| format!("1. {}", sentence(&mut rng, words, 6, 12)))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
            }
            parts.push("## Further reading".into());
            parts.push(
                links
                    .iter()
                    .map(|l| format!("- {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        _ => {
            let _ = writeln!(fm, "country: countries/{}", slug(c));
            target_words = rng.range(200, 450);
            parts.push(paragraph(&mut rng, words, 2, 4));
            parts.push("## Indicators".into());
            let mut rows = vec![
                "| Category | Score | Trend |".to_string(),
                "|---|---:|---|".to_string(),
            ];
            for x in CATEGORIES {
                let row = format!(
                    "| {x} | {} | {} |",
                    rng.range(10, 99),
                    rng.pick(&["up", "flat", "down"])
                );
                rows.push(row);
            }
            parts.push(rows.join("\n"));
            parts.push("## See also".into());
            parts.push(
                links
                    .iter()
                    .map(|l| format!("- {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    }
    // Pad with paragraphs before the last section so the page reaches its target length.
    let mut padding = Vec::new();
    while count_words(&parts) + count_words(&padding) < target_words {
        padding.push(paragraph(&mut rng, words, 3, 6));
    }
    let at = parts.len().saturating_sub(2);
    for (k, p) in padding.into_iter().enumerate() {
        parts.insert(at + k, p);
    }
    fm.push_str("---\n\n");
    fm.push_str(&parts.join("\n\n"));
    fm.push('\n');
    fm
}

const SITE_YAML: &str = "title: Synthetic knowledge base\nbase_url: https://bench.example/\nmarkdown:\n  allow_raw_html: false\ndefaults:\n  - { folder: countries, type: country }\n  - { folder: categories, type: category }\n  - { folder: statutes, type: statute }\n  - { folder: themes, type: mem-theme }\n  - { folder: benchmarks, type: benchmark }\n  - { folder: articles, type: article }\n  - { folder: profiles, type: profile }\ntypes:\n  country: { label: Country }\n  category: { label: Category }\n  statute: { label: Statute }\n  mem-theme: { label: MEM theme }\n  benchmark:\n    label: Benchmark\n    fields:\n      country: { kind: reference, to: country, required: true }\n      categories: { kind: list, of: { kind: reference, to: category }, required: true }\n      statutes: { kind: list, of: { kind: reference, to: statute } }\n      mem_themes: { kind: list, of: { kind: reference, to: mem-theme } }\n      fiscal_year: { kind: integer, required: true }\n      assessment: { kind: enum, values: [met, partly-met, not-met, not-assessed], required: true }\n  article:\n    label: Article\n    fields:\n      categories: { kind: list, of: { kind: reference, to: category } }\n      mem_themes: { kind: list, of: { kind: reference, to: mem-theme } }\n      fiscal_year: { kind: integer }\n  profile:\n    label: Country profile\n    fields:\n      country: { kind: reference, to: country, required: true }\n";

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(n) = value("--pages")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n >= 2)
    else {
        eprintln!("usage: gen_corpus --pages N (>= 2) --out DIR");
        std::process::exit(2);
    };
    let out = PathBuf::from(value("--out").unwrap_or_else(|| "corpus".into()));
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let content = out.join("content");
    write(&out.join("site.yaml"), SITE_YAML)?;
    write(
        &content.join("_index.md"),
        "---\ntitle: Synthetic knowledge base\n---\n\nA generated corpus for benchmarks.\n",
    )?;
    for (dir, title) in [
        ("benchmarks", "Benchmarks"),
        ("articles", "Articles"),
        ("profiles", "Country profiles"),
        ("countries", "Countries"),
        ("categories", "Categories"),
        ("statutes", "Statutes"),
        ("themes", "MEM themes"),
    ] {
        write(
            &content.join(dir).join("_index.md"),
            &format!(
                "---\ntitle: {title}\n---\n\nAll {}.\n",
                title.to_lowercase()
            ),
        )?;
    }
    for (dir, names) in [
        ("countries", &COUNTRIES[..]),
        ("categories", &CATEGORIES[..]),
        ("statutes", &STATUTES[..]),
        ("themes", &THEMES[..]),
    ] {
        for name in names {
            write(
                &content.join(dir).join(format!("{}.md", slug(name))),
                &format!("---\ntitle: {name}\n---\n\n{name}.\n"),
            )?;
        }
    }
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut bytes = 0usize;
    for i in 0..n {
        let text = page(i, n, &words);
        bytes += text.len();
        write(&content.join(rel_path(i)), &text)?;
    }
    eprintln!(
        "generated {n} pages ({:.1} MB of Markdown) in {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
