//! Theme chains: a theme in `themes/` extends another (`extends:` in its `theme.yaml`), down to
//! the default theme built into the binary; each layer overrides the files of the one below,
//! and the site's own `templates/` and `static/` override them all. The error cases are
//! snapshotted with the other error fixtures (`errors/theme_*`).

use crate::support;

/// A site whose pages use the default theme's templates, with two themes over it: `inner`
/// extends `outer`, which extends `default`.
pub fn layered_site() -> support::Site {
    let site = support::site("");
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm templates");
    let config = site.read("site.yaml").replacen("\n", "\ntheme: inner\n", 1);
    site.write("site.yaml", config);
    site.write(
        "themes/outer/theme.yaml",
        "# The middle layer.\nextends: default\ndescription: Outer.\n",
    );
    site.write(
        "themes/outer/templates/partials/footer.html",
        "<p class=\"footer-nav\">outer footer</p>",
    );
    site.write(
        "themes/outer/templates/partials/brand.html",
        "<span>outer brand</span>",
    );
    site.write("themes/outer/static/style.css", "body { color: teal }\n");
    site.write("themes/outer/static/outer.css", "/* outer only */\n");
    site.write("themes/inner/theme.yaml", "extends: outer\n");
    site.write(
        "themes/inner/templates/partials/brand.html",
        "<span>inner brand</span>",
    );
    site.write("themes/inner/static/outer.css", "/* inner wins */\n");
    site
}

#[test]
fn each_theme_overrides_the_one_it_extends_and_the_site_overrides_all() {
    let site = layered_site();
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/things/alpha/index.html");
    // brand.html: inner over outer; footer.html: outer over default; base.html: default.
    assert!(page.contains("inner brand"), "{page}");
    assert!(!page.contains("outer brand"), "{page}");
    assert!(page.contains("outer footer"), "{page}");
    assert!(page.contains("<!DOCTYPE html>"), "{page}");
    assert_eq!(site.read("public/style.css"), "body { color: teal }\n");
    assert_eq!(site.read("public/outer.css"), "/* inner wins */\n");
    // The default theme's script comes through both layers.
    assert!(site.path().join("public/site.js").is_file());

    // The site's own files win over every theme.
    site.write("templates/partials/brand.html", "<span>site brand</span>");
    site.write("static/outer.css", "/* site wins */\n");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/things/alpha/index.html");
    assert!(page.contains("site brand"), "{page}");
    assert_eq!(site.read("public/outer.css"), "/* site wins */\n");
}

/// A theme without `theme.yaml`, or with one that extends nothing, stands alone: the default
/// theme is not under it.
#[test]
fn a_theme_that_extends_nothing_stands_alone() {
    let site = layered_site();
    site.write("themes/outer/theme.yaml", "description: Outer, alone.\n");
    let run = site.run(["build"]);
    // The default theme's page.html is no longer there to render pages with.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("page.html"), "{}", run.stderr);

    std::fs::remove_file(site.path().join("themes/outer/theme.yaml")).expect("rm");
    site.write(
        "themes/outer/templates/page.html",
        "<p>{{ page.title }}</p>",
    );
    site.write("themes/outer/templates/section.html", "<p>section</p>");
    site.write("themes/outer/templates/index.html", "<p>home</p>");
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.read("public/things/alpha/index.html"), "<p>Alpha</p>");
    assert!(!site.path().join("public/site.js").exists());
}
