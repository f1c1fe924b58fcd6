//! `serve` follows the file system: a top-level folder that is deleted, re-created, replaced
//! or moved away and back is watched again and rebuilt from (D6), and `serve` ignores the
//! same file names as `build` (D21).

use std::path::Path;
use std::time::Duration;

use super::{eventually, get, start};
use crate::support;

/// Replaces one sentence of `content/things/alpha.md` and waits until the page shows it.
fn edit_alpha_and_wait(site: &support::Site, addr: &str, sentence: &str) {
    let text = site.read("content/things/alpha.md");
    let start = text.find("Alpha ").expect("fixture has an Alpha sentence");
    let end = start + text[start..].find('.').expect("sentence ends") + 1;
    site.write(
        "content/things/alpha.md",
        format!("{}{sentence}{}", &text[..start], &text[end..]),
    );
    eventually(&format!("the edit {sentence:?} is served"), || {
        get(addr, "/things/alpha/").2.contains(sentence)
    });
}

fn cp_a(from: &Path, to: &Path) {
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("run cp");
    assert!(status.success(), "cp -a failed");
}

#[test]
fn a_deleted_then_recreated_static_folder_is_served_again() {
    let site = support::site("");
    site.write("static/extra.txt", "static v1\n");
    let server = start(&site);
    assert_eq!(get(&server.addr, "/extra.txt").2, "static v1\n");

    // Deleted, noticed, then re-created with new content.
    std::fs::remove_dir_all(site.path().join("static")).expect("rm -rf static");
    eventually("/extra.txt is gone once static/ is", || {
        get(&server.addr, "/extra.txt").0 == 404
    });
    site.write("static/extra.txt", "static v2\n");
    eventually("the re-created static/ is served", || {
        get(&server.addr, "/extra.txt").2 == "static v2\n"
    });
    site.write("static/extra.txt", "static v3\n");
    eventually("an edit in the re-created static/ is served", || {
        get(&server.addr, "/extra.txt").2 == "static v3\n"
    });

    // Deleted and re-created at once (one event batch; the inode number may be reused).
    std::fs::remove_dir_all(site.path().join("static")).expect("rm -rf static");
    site.write("static/extra.txt", "static v4\n");
    eventually("the replaced static/ is served", || {
        get(&server.addr, "/extra.txt").2 == "static v4\n"
    });
    site.write("static/extra.txt", "static v5\n");
    eventually("an edit in the replaced static/ is served", || {
        get(&server.addr, "/extra.txt").2 == "static v5\n"
    });
}

#[test]
fn a_deleted_then_recreated_templates_folder_is_used_again() {
    let site = support::site("");
    let server = start(&site);
    let not_found = || get(&server.addr, "/no/such/page/").2;
    assert!(not_found().contains("<body>Not found"), "the fixture's 404");

    let saved = tempfile::tempdir().expect("tempdir");
    support::copy_tree(&site.path().join("templates"), saved.path());
    std::fs::remove_dir_all(site.path().join("templates")).expect("rm -rf templates");
    eventually("the theme's 404 page once templates/ is gone", || {
        !not_found().contains("<body>Not found")
    });

    support::copy_tree(saved.path(), &site.path().join("templates"));
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>Gone v2</body></html>",
    );
    eventually("the re-created templates/ is used", || {
        not_found().contains("Gone v2")
    });
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body>Gone v3</body></html>",
    );
    eventually("an edit in the re-created templates/ is used", || {
        not_found().contains("Gone v3")
    });
}

#[test]
fn content_moved_away_and_copied_back_is_watched_again() {
    let site = support::site("");
    let server = start(&site);
    let content = site.path().join("content");
    let away = site.path().join("away");
    std::fs::rename(&content, &away).expect("mv content away");
    cp_a(&away, &content);
    edit_alpha_and_wait(&site, &server.addr, "Alpha after the copy.");
    edit_alpha_and_wait(&site, &server.addr, "Alpha edited again.");
}

#[test]
fn content_moved_away_and_back_is_watched_again() {
    let site = support::site("");
    let server = start(&site);
    let content = site.path().join("content");
    let away = site.path().join("away");
    // At once (one event batch), then with a pause (two batches: gone, then back).
    for pause in [Duration::ZERO, Duration::from_millis(500)] {
        std::fs::rename(&content, &away).expect("mv content away");
        std::thread::sleep(pause);
        std::fs::rename(&away, &content).expect("mv away content");
        let sentence = format!("Alpha back after {} ms.", pause.as_millis());
        edit_alpha_and_wait(&site, &server.addr, &sentence);
    }
}

/// Backup and swap names: `serve` serves such a file exactly when `build` publishes it, since
/// both ask `content::load::is_ignored_name`.
#[test]
fn serve_ignores_the_same_file_names_as_build() {
    let site = support::site("");
    let server = start(&site);
    let names = ["notes.bak", "x.swpx", "y.swp", "z~"];
    for name in names {
        site.write(&format!("content/{name}"), "not a page\n");
    }
    edit_alpha_and_wait(&site, &server.addr, "Alpha after the backups.");
    let built = site.run(["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    for name in names {
        let published = site.path().join("public").join(name).exists();
        let served = get(&server.addr, &format!("/{name}")).0 == 200;
        assert_eq!(
            served, published,
            "{name}: served {served}, published {published}"
        );
    }
}
