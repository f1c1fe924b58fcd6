use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::*;
use crate::file_bytes::FileBytes;

fn files(list: &[(&str, &str)]) -> BTreeMap<String, FileBytes> {
    list.iter()
        .map(|(p, b)| (p.to_string(), FileBytes::plain(b.as_bytes().to_vec())))
        .collect()
}

fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let e = e.unwrap();
        let rel = tree::rel_path(dir, e.path());
        if e.path_is_symlink() {
            out.insert(
                rel,
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display()),
            );
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    out
}

fn ino(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().ino()
}

#[test]
fn a_folder_majors_did_not_write_is_refused_and_untouched() {
    // D1: `-o ~` used to empty a home folder.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".ssh")).unwrap();
    std::fs::write(home.path().join(".ssh/id_ed25519"), "key").unwrap();
    std::fs::write(home.path().join(".bashrc"), "rc").unwrap();
    let before = tree(home.path());
    let err = write_output(home.path(), &files(&[("index.html", "x")])).unwrap_err();
    assert!(matches!(err, OutputError::NotOurs { .. }), "{err}");
    assert_eq!(tree(home.path()), before);
    let parent = home.path().parent().unwrap();
    let name = home.path().file_name().unwrap().to_string_lossy();
    assert!(!parent.join(format!(".{name}.majors-staging")).exists());
}

#[test]
fn only_files_of_the_previous_build_are_replaced_or_deleted() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let s = write_output(&out, &files(&[("a/index.html", "one"), ("b.txt", "two")])).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (2, 0, 0));
    // Someone adds their own files (a deploy's CNAME, a .git folder, a symlink).
    std::fs::write(out.join("CNAME"), "example.org").unwrap();
    std::fs::create_dir_all(out.join(".git/refs")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref").unwrap();
    std::os::unix::fs::symlink("/nowhere", out.join("link")).unwrap();
    let kept_inode = ino(&out.join("b.txt"));
    let s = write_output(&out, &files(&[("b.txt", "two"), ("c.txt", "new")])).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (1, 1, 1));
    let t = tree(&out);
    assert_eq!(t.get("CNAME").map(String::as_str), Some("example.org"));
    assert_eq!(t.get(".git/HEAD").map(String::as_str), Some("ref"));
    assert_eq!(t.get("link").map(String::as_str), Some("-> /nowhere"));
    assert!(
        out.join(".git/refs").is_dir(),
        "an empty foreign folder is kept"
    );
    assert!(
        !out.join("a").exists(),
        "the stale page and its folder are gone"
    );
    assert_eq!(
        ino(&out.join("b.txt")),
        kept_inode,
        "an unchanged file is not rewritten"
    );
    assert!(
        manifest::parse_manifest(&std::fs::read_to_string(out.join(MANIFEST)).unwrap())
            .unwrap()
            .into_iter()
            .eq(["b.txt".to_string(), "c.txt".to_string()])
    );
    assert_eq!(leftovers(root.path()), Vec::<String>::new());
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("majors") && !n.ends_with(".majors-previous"))
        .collect()
}

#[test]
fn nothing_changed_means_nothing_written() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let f = files(&[("a/index.html", "one"), ("b.txt", "two")]);
    write_output(&out, &f).unwrap();
    let (dir_ino, file_ino) = (ino(&out), ino(&out.join("a/index.html")));
    let manifest_mtime = std::fs::metadata(out.join(MANIFEST)).unwrap().mtime_nsec();
    let s = write_output(&out, &f).unwrap();
    assert_eq!((s.written, s.unchanged, s.removed), (0, 2, 0));
    assert_eq!(
        (ino(&out), ino(&out.join("a/index.html"))),
        (dir_ino, file_ino)
    );
    assert_eq!(
        std::fs::metadata(out.join(MANIFEST)).unwrap().mtime_nsec(),
        manifest_mtime
    );
    assert_eq!(leftovers(root.path()), Vec::<String>::new());
}

#[test]
fn the_previous_build_is_kept_beside_and_reused() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let spare = root.path().join(".public.majors-previous");
    let v = |n: &str| files(&[("same/index.html", "same"), ("page/index.html", n)]);
    write_output(&out, &v("1")).unwrap();
    assert!(!spare.exists(), "a first build needs no spare");
    for n in ["2", "3", "4"] {
        write_output(&out, &v(n)).unwrap();
        assert_eq!(
            tree(&out).get("page/index.html").map(String::as_str),
            Some(n)
        );
        assert!(!spare.join(swap::STAGE_MARKER).exists());
    }
    // The spare holds the build before: unchanged files are the same inode in both.
    assert_eq!(
        tree(&spare).get("page/index.html").map(String::as_str),
        Some("3")
    );
    assert_eq!(
        ino(&spare.join("same/index.html")),
        ino(&out.join("same/index.html"))
    );
    // A spare left half-changed by a killed build is reused and made right.
    std::fs::write(spare.join(swap::STAGE_MARKER), "").unwrap();
    std::fs::write(spare.join("junk.html"), "half").unwrap();
    std::fs::write(spare.join("same/index.html"), "torn").unwrap();
    write_output(&out, &v("5")).unwrap();
    let t = tree(&out);
    assert_eq!(t.get("same/index.html").map(String::as_str), Some("same"));
    assert!(!t.contains_key("junk.html"));
}

#[test]
fn a_symlinked_folder_inside_the_output_is_never_written_through() {
    // D13: `public/p -> outside` used to receive the rendered page.
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let outside = root.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("index.html"), "victim").unwrap();
    write_output(&out, &files(&[("p/index.html", "v1")])).unwrap();
    std::fs::remove_dir_all(out.join("p")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("p")).unwrap();
    let err = write_output(&out, &files(&[("p/index.html", "v2")])).unwrap_err();
    assert!(matches!(err, OutputError::Foreign { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(outside.join("index.html")).unwrap(),
        "victim"
    );
    assert!(out.join("p").is_symlink());
    assert_eq!(leftovers(root.path()), Vec::<String>::new());
}

#[test]
fn a_foreign_file_where_the_build_writes_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    write_output(&out, &files(&[("index.html", "i")])).unwrap();
    std::fs::write(out.join("robots.txt"), "mine").unwrap();
    let err =
        write_output(&out, &files(&[("index.html", "i"), ("robots.txt", "gen")])).unwrap_err();
    assert!(err.to_string().contains("robots.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_but_not_a_users_folder() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    write_output(&out, &files(&[("index.html", "i")])).unwrap();
    let stage = root.path().join(".public.majors-staging");
    std::fs::create_dir(&stage).unwrap();
    std::fs::write(stage.join(swap::STAGE_MARKER), "").unwrap();
    std::fs::write(stage.join("half.html"), "h").unwrap();
    write_output(&out, &files(&[("index.html", "j")])).unwrap();
    assert!(!stage.exists());
    std::fs::create_dir(&stage).unwrap();
    std::fs::write(stage.join("thesis.tex"), "mine").unwrap();
    assert!(write_output(&out, &files(&[("index.html", "k")])).is_err());
    assert_eq!(
        std::fs::read_to_string(stage.join("thesis.tex")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "j"
    );
}

#[test]
fn abort_leaves_the_output_as_it_was() {
    let root = tempfile::tempdir().unwrap();
    for existing in [false, true] {
        let out = root.path().join(format!("public-{existing}"));
        if existing {
            write_output(&out, &files(&[("old.txt", "o")])).unwrap();
        }
        let before = tree(&out);
        let s = Staging::begin(&out).unwrap();
        s.put("a/b.txt", b"x").unwrap();
        s.abort();
        assert_eq!(tree(&out), before);
        assert_eq!(out.exists(), existing);
    }
    assert_eq!(leftovers(root.path()), Vec::<String>::new());
}

#[test]
fn an_empty_folder_is_taken_and_a_damaged_manifest_refused() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    std::fs::create_dir(&out).unwrap();
    write_output(&out, &files(&[("x.txt", "x")])).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("x.txt")).unwrap(), "x");
    std::fs::write(out.join(MANIFEST), "{\"files\": [\"../../etc/passwd\"]}").unwrap();
    assert!(write_output(&out, &files(&[("y.txt", "y")])).is_err());
    assert!(out.join("x.txt").is_file());
}

#[test]
fn symlinks_cannot_turn_the_output_into_the_site() {
    // D2: `out -> content` deleted the Markdown, `up -> ..` the whole site.
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::os::unix::fs::symlink(root.join("content"), root.join("out")).unwrap();
    std::os::unix::fs::symlink("..", root.join("up")).unwrap();
    std::os::unix::fs::symlink(&root, parent.path().join("alias")).unwrap();
    for bad in [
        "out",
        "out/x",
        "up",
        "up/site",
        ".",
        "..",
        "content",
        "/",
        "site.yaml",
    ] {
        assert!(resolve_output_dir(&root, Path::new(bad)).is_err(), "{bad}");
    }
    assert!(resolve_output_dir(&parent.path().join("alias"), Path::new("content")).is_err());
    let ok = resolve_output_dir(&root, Path::new("public")).unwrap();
    assert_eq!(ok, std::fs::canonicalize(&root).unwrap().join("public"));
    let elsewhere = parent.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("pub")).unwrap();
    assert_eq!(
        resolve_output_dir(&root, Path::new("pub")).unwrap(),
        std::fs::canonicalize(&elsewhere).unwrap()
    );
}

#[test]
fn a_stale_symlink_in_the_spare_is_never_written_through() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let outside = root.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("index.html"), "victim").unwrap();
    write_output(&out, &files(&[("a.txt", "1")])).unwrap();
    // A foreign symlink, mirrored into the spare by the next build, then removed by the user.
    std::os::unix::fs::symlink(&outside, out.join("p")).unwrap();
    write_output(&out, &files(&[("a.txt", "2")])).unwrap();
    write_output(&out, &files(&[("a.txt", "3")])).unwrap();
    std::fs::remove_file(out.join("p")).unwrap();
    write_output(&out, &files(&[("a.txt", "4"), ("p/index.html", "page")])).unwrap();
    assert_eq!(
        std::fs::read_to_string(outside.join("index.html")).unwrap(),
        "victim"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("p/index.html")).unwrap(),
        "page"
    );
    assert!(!out.join("p").is_symlink());
}
