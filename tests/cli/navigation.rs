//! The default theme's navigation: the sidebar holds every page (marked `aria-current`),
//! previous and next follow the section's declared order, and the footer's dates say when a
//! page last changed, never what it is dated.

use std::path::Path;

use crate::support::{self, Site};

/// The base fixture without its own templates, so the default theme renders it; `gamma` joins
/// the things (weights: gamma 0, beta 1, alpha 2), and alpha says when it last changed.
fn default_theme_site() -> Site {
    let site = support::site("");
    std::fs::remove_dir_all(site.path().join("templates")).expect("remove templates");
    site.write(
        "content/things/gamma.md",
        "---\ntitle: Gamma\nweight: 0\ncode: G\nstatus: open\n---\nGamma.\n",
    );
    let alpha = site.read("content/things/alpha.md");
    site.write(
        "content/things/alpha.md",
        alpha.replacen("weight: 2\n", "weight: 2\nupdated: 2021-03-04\n", 1),
    );
    site
}

fn build(site: &Site) {
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The `<nav class="{class}"` element of `html`.
fn nav<'a>(html: &'a str, class: &str) -> Option<&'a str> {
    let start = html.find(&format!("<nav class=\"{class}\""))?;
    let len = html[start..].find("</nav>")?;
    Some(&html[start..start + len])
}

/// The `href`s of the links with `rel="{rel}"` in `html`.
fn rel_links(html: &str, rel: &str) -> Vec<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    html.match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// Every `index.html` under `out` with the URL it is served at.
fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let dir = e
                .path()
                .parent()
                .expect("parent")
                .strip_prefix(out)
                .expect("under");
            let url = match dir.to_string_lossy().as_ref() {
                "" => "/".to_string(),
                d => format!("/{d}/"),
            };
            (url, std::fs::read_to_string(e.path()).expect("read"))
        })
        .collect()
}

#[test]
fn previous_and_next_follow_the_declared_order_and_move_with_a_weight() {
    let site = default_theme_site();
    build(&site);
    let pager = |slug: &str| {
        let html = site.read(&format!("public/things/{slug}/index.html"));
        let pager = nav(&html, "pager").unwrap_or_default().to_string();
        (rel_links(&pager, "prev"), rel_links(&pager, "next"))
    };
    let none: Vec<String> = Vec::new();
    assert_eq!(pager("gamma"), (none.clone(), vec!["/things/beta/".into()]));
    assert_eq!(
        pager("beta"),
        (vec!["/things/gamma/".into()], vec!["/things/alpha/".into()])
    );
    assert_eq!(pager("alpha"), (vec!["/things/beta/".into()], none.clone()));
    // Gamma moves to the end: the series follows.
    let gamma = site.read("content/things/gamma.md");
    site.write(
        "content/things/gamma.md",
        gamma.replace("weight: 0", "weight: 5"),
    );
    build(&site);
    assert_eq!(
        pager("alpha"),
        (vec!["/things/beta/".into()], vec!["/things/gamma/".into()])
    );
    assert_eq!(pager("beta"), (none, vec!["/things/alpha/".into()]));
}

#[test]
fn every_page_has_itself_in_the_sidebar_marked_current() {
    let site = default_theme_site();
    build(&site);
    let built = pages(&site.path().join("public"));
    assert!(built.len() >= 8, "{} pages", built.len());
    for (url, html) in &built {
        let sidebar = nav(html, "site-nav").unwrap_or_else(|| panic!("{url}: no sidebar"));
        assert!(
            sidebar.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")),
            "{url}: the sidebar has no link to the page marked current:\n{sidebar}"
        );
        assert_eq!(
            sidebar.matches("aria-current=\"page\"").count(),
            1,
            "{url}: one page is the current one"
        );
    }
    // A page's section lists its pages; another section's pages are not listed.
    let beta = &built
        .iter()
        .find(|(u, _)| u == "/things/beta/")
        .expect("beta")
        .1;
    let sidebar = nav(beta, "site-nav").expect("sidebar");
    assert!(sidebar.contains("href=\"/things/gamma/\""), "{sidebar}");
    assert!(!sidebar.contains("href=\"/notes/first/\""), "{sidebar}");
}

#[test]
fn the_footer_says_when_a_page_changed_never_its_date() {
    let site = default_theme_site();
    build(&site);
    let alpha = site.read("public/things/alpha/index.html");
    assert!(
        alpha.contains("last changed on <time datetime=\"2021-03-04\">4 March 2021</time>"),
        "{alpha}"
    );
    // The note is dated 2 January 2020 and has no history: its footer shows the site's
    // date, not the note's.
    let note = site.read("public/notes/first/index.html");
    let footer = &note[note.find("<footer").expect("footer")..];
    assert!(!footer.contains("2020"), "{footer}");
    assert!(
        footer.contains("Content as of <time datetime=\"2021-03-04\">4 March 2021</time>"),
        "{footer}"
    );
}

#[test]
fn every_page_of_the_knowledge_base_has_itself_in_the_sidebar() {
    let out = tempfile::tempdir().expect("tempdir");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["build", "--color", "never", "--root"])
        .arg(support::repo_root())
        .arg("--output-dir")
        .arg(out.path())
        .output()
        .expect("run majors");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let built = pages(out.path());
    assert!(built.len() > 700, "{} pages", built.len());
    let lost: Vec<&str> = built
        .iter()
        .filter(|(url, html)| {
            !nav(html, "site-nav")
                .is_some_and(|s| s.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")))
        })
        .map(|(url, _)| url.as_str())
        .collect();
    assert!(
        lost.is_empty(),
        "pages missing from their own sidebar: {lost:?}"
    );
}

/// A section sorted by date lists its pages under their dates, oldest first, and the pages
/// that refer to a page are listed oldest first too (not by title: "First" would come first).
#[test]
fn dated_pages_list_under_their_dates_oldest_first_here_and_in_backreferences() {
    let site = default_theme_site();
    site.write(
        "content/notes/_index.md",
        "---\ntitle: Notes\nsort_by: date\n---\n",
    );
    site.write(
        "content/notes/second.md",
        "---\ntitle: Second note\ndate: 2019-07-08\nabout: things/alpha\n---\nEarlier.\n",
    );
    site.write(
        "content/notes/third.md",
        "---\ntitle: Third note\nabout: things/alpha\n---\nUndated.\n",
    );
    build(&site);
    let notes = site.read("public/notes/index.html");
    // A page without a date says so (a `<time>` must hold a date).
    assert!(
        notes.contains("<span class=\"empty\">undated</span> <span><a href=\"/notes/third/\">"),
        "{notes}"
    );
    let list = &notes[notes
        .find("<ul class=\"page-list dated\">")
        .expect("a dated list")..];
    let list = &list[..list.find("</ul>").expect("list ends")];
    let second = list
        .find("<time datetime=\"2019-07-08\">8 July 2019</time> <span><a href=\"/notes/second/\">")
        .expect("the second note under its date");
    let first = list
        .find(
            "<time datetime=\"2020-01-02\">2 January 2020</time> <span><a href=\"/notes/first/\">",
        )
        .expect("the first note under its date");
    assert!(second < first, "{list}");
    assert!(
        notes.contains("<h2 id=\"pages-title\">In date order</h2>"),
        "{notes}"
    );

    let alpha = site.read("public/things/alpha/index.html");
    let refs = &alpha[alpha.find("class=\"backrefs\"").expect("backrefs")..];
    let (second, first) = (
        refs.find("href=\"/notes/second/\"").expect("second"),
        refs.find("href=\"/notes/first/\"").expect("first"),
    );
    assert!(second < first, "{refs}");
    // A section in weight order keeps its plain list.
    let things = site.read("public/things/index.html");
    assert!(things.contains("<ul class=\"page-list\">"), "{things}");
}

/// `short_title` names a page in the sidebar and the pager; its own heading keeps the title.
#[test]
fn a_short_title_names_the_page_in_navigation_only() {
    let site = default_theme_site();
    let beta = site.read("content/things/beta.md");
    site.write(
        "content/things/beta.md",
        beta.replacen(
            "title: Beta\n",
            "title: Beta, the second thing\nshort_title: Beta\n",
            1,
        ),
    );
    build(&site);
    let alpha = site.read("public/things/alpha/index.html");
    let sidebar = nav(&alpha, "site-nav").expect("sidebar");
    assert!(sidebar.contains(">Beta</a>"), "{sidebar}");
    assert!(!sidebar.contains("the second thing"), "{sidebar}");
    let pager = nav(&alpha, "pager").expect("pager");
    assert!(pager.contains("</span> Beta</a>"), "{pager}");
    let beta = site.read("public/things/beta/index.html");
    assert!(beta.contains("<h1>Beta, the second thing</h1>"), "{beta}");
}
