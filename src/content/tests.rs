use super::*;

#[test]
fn keys_from_paths() {
    assert_eq!(page_key("_index.md"), "index");
    assert_eq!(page_key("countries/peru/_index.md"), "countries/peru");
    assert_eq!(
        page_key("convention/articles/article-3.md"),
        "convention/articles/article-3"
    );
}

#[test]
fn folders_for_defaults() {
    assert_eq!(folder_of("countries/peru/_index.md", true), "countries");
    assert_eq!(
        folder_of("countries/peru/fy2010/x.md", false),
        "countries/peru/fy2010"
    );
    assert_eq!(folder_of("a.md", false), "");
}

/// Parses `files` (path under `content/`, text) with `site_yaml` and finishes the site,
/// as a build does. Returns each page's key and URL, in page order, and the problems.
fn site(site_yaml: &str, files: &[(&str, &str)]) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    let mut sources = SourceMap::default();
    let cfg = sources.add("site.yaml".into(), "site.yaml".into(), site_yaml.into());
    let (config, d) = crate::config::parse_config(cfg, &sources);
    let config = config.unwrap_or_else(|| panic!("test config: {d:?}"));
    let ids: Vec<_> = files
        .iter()
        .map(|(rel, text)| {
            let path = format!("content/{rel}");
            (*rel, sources.add(path.clone(), path.into(), (*text).into()))
        })
        .collect();
    let mut diags = Vec::new();
    let parsed = ids
        .iter()
        .map(|(rel, id)| {
            let (page, d) = parse_page(&config, rel, *id, &sources);
            diags.extend(d);
            page
        })
        .collect();
    let pages = finish_pages(
        &config,
        parsed,
        &sources,
        ContentOptions::default(),
        &mut diags,
    );
    let urls = pages
        .iter()
        .map(|p| (p.key.clone(), p.url.0.clone()))
        .collect();
    (urls, diags)
}

const SITE: &str = "title: T\nbase_url: https://x.org/\n";

fn url_of<'a>(urls: &'a [(String, String)], key: &str) -> &'a str {
    let found = urls.iter().find(|(k, _)| k == key);
    &found
        .unwrap_or_else(|| panic!("no page {key} in {urls:?}"))
        .1
}

#[test]
fn urls_follow_folders_and_file_names() {
    let (urls, diags) = site(
        SITE,
        &[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("notes/_index.md", "---\ntitle: Notes\n---\n"),
            ("notes/First Note.md", "---\ntitle: A\n---\n"),
            ("notes/deep/Año nuevo.md", "---\ntitle: B\n---\n"),
        ],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(url_of(&urls, "index"), "/");
    assert_eq!(url_of(&urls, "notes"), "/notes/");
    assert_eq!(url_of(&urls, "notes/First Note"), "/notes/first-note/");
    // A folder without an `_index.md` still gives its segment, slugified like a file name.
    assert_eq!(
        url_of(&urls, "notes/deep/Año nuevo"),
        "/notes/deep/ano-nuevo/"
    );
}

#[test]
fn a_section_slug_renames_every_url_below_it_and_a_page_slug_only_its_own() {
    let (urls, diags) = site(
        SITE,
        &[
            ("a/_index.md", "---\ntitle: A\nslug: Alpha\n---\n"),
            ("a/b/_index.md", "---\ntitle: B\nslug: beta\n---\n"),
            ("a/b/page.md", "---\ntitle: P\nslug: renamed\n---\n"),
            ("a/other.md", "---\ntitle: O\n---\n"),
        ],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(url_of(&urls, "a"), "/alpha/");
    assert_eq!(url_of(&urls, "a/b"), "/alpha/beta/");
    assert_eq!(url_of(&urls, "a/b/page"), "/alpha/beta/renamed/");
    assert_eq!(url_of(&urls, "a/other"), "/alpha/other/");
}

#[test]
fn a_segment_with_nothing_to_slug_is_left_out() {
    let (urls, _) = site(SITE, &[("---/x.md", "---\ntitle: X\n---\n")]);
    assert_eq!(url_of(&urls, "---/x"), "/x/");
}

#[test]
fn generated_pages_extend_their_source_url() {
    let yaml = format!(
        "{SITE}types:\n  country:\n    fields: {{}}\ngenerate:\n  - {{ type: country, path: Dossier, template: d.html, title: \"{{title}} dossier\" }}\n"
    );
    let (urls, diags) = site(
        &yaml,
        &[(
            "c/peru.md",
            "---\ntitle: Peru\ntype: country\nslug: pe\n---\n",
        )],
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(url_of(&urls, "c/peru"), "/c/pe/");
    assert_eq!(url_of(&urls, "c/peru/dossier"), "/c/pe/dossier/");
}

#[test]
fn two_pages_with_one_url_are_an_error_naming_the_other_file() {
    let (urls, diags) = site(
        SITE,
        &[
            ("n/a.md", "---\ntitle: A\nslug: same\n---\n"),
            ("n/same.md", "---\ntitle: S\n---\n"),
        ],
    );
    assert_eq!(url_of(&urls, "n/a"), "/n/same/");
    let dup: Vec<_> = diags.iter().filter(|d| d.code == "duplicate-url").collect();
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert!(dup[0].message.contains("/n/same/"), "{}", dup[0].message);
    let labels = format!("{:?}", dup[0]);
    assert!(labels.contains("content/n/a.md"), "{labels}");
}

#[test]
fn drafts_get_no_url_unless_asked_for() {
    let files = [("n/d.md", "---\ntitle: D\ndraft: true\n---\n")];
    let (urls, _) = site(SITE, &files);
    assert!(urls.is_empty(), "{urls:?}");
}
