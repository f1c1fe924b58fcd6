//! The output folder: what majors may delete, where it may write, and crash safety.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support;

fn majors(site: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_majors"));
    cmd.arg("--root")
        .arg(site)
        .arg("--color")
        .arg("never")
        .env_remove("RUST_LOG");
    cmd
}

/// Every entry under `dir` (files with their bytes, symlinks with their target).
fn listing(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let e = e.expect("readable");
        let rel = e
            .path()
            .strip_prefix(dir)
            .expect("under")
            .to_string_lossy()
            .into_owned();
        if e.path_is_symlink() {
            let t = std::fs::read_link(e.path()).expect("link");
            out.insert(rel, t.to_string_lossy().into_owned().into_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        } else {
            out.insert(format!("{rel}/"), Vec::new());
        }
    }
    out
}

#[test]
fn a_non_empty_folder_majors_did_not_write_is_refused_untouched() {
    // D1: `build -o ~` deleted every file of the home folder with exit 0.
    let site = support::site("");
    let home = tempfile::tempdir().expect("tempdir");
    for (p, t) in [
        (".ssh/id_ed25519", "key"),
        (".bashrc", "rc"),
        ("Documents/notes.txt", "n"),
    ] {
        let path = home.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, t).expect("write");
    }
    let before = listing(home.path());
    let run = site.run([
        "build".as_ref(),
        "--output-dir".as_ref(),
        home.path().as_os_str(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no majors build wrote it"),
        "{}",
        run.stderr
    );
    assert_eq!(listing(home.path()), before);
}

#[test]
fn symlinks_cannot_turn_the_output_folder_into_the_site() {
    // D2: with `out -> content`, `-o out` deleted the Markdown; with `up -> ..`, the site.
    let parent = tempfile::tempdir().expect("tempdir");
    let root = parent.path().join("site");
    support::copy_tree(&support::repo_root().join("tests/fixtures/base"), &root);
    std::fs::write(parent.path().join("other.txt"), "precious").expect("write");
    std::os::unix::fs::symlink(root.join("content"), root.join("out")).expect("symlink");
    std::os::unix::fs::symlink("..", root.join("up")).expect("symlink");
    let before = listing(parent.path());
    for dir in ["out", "up", "out/sub", "up/elsewhere/.."] {
        let run = majors(&root)
            .args(["build", "--output-dir", dir])
            .output()
            .expect("run");
        assert_eq!(
            run.status.code(),
            Some(2),
            "{dir}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(String::from_utf8_lossy(&run.stderr).contains("refusing to use"));
    }
    // The same through `output_dir:` in site.yaml.
    let config = std::fs::read_to_string(root.join("site.yaml")).expect("read");
    std::fs::write(root.join("site.yaml"), format!("{config}output_dir: up\n")).expect("write");
    let run = majors(&root).arg("build").output().expect("run");
    assert_eq!(run.status.code(), Some(2));
    std::fs::write(root.join("site.yaml"), config).expect("write");
    assert_eq!(listing(parent.path()), before);
}

#[test]
fn the_build_never_writes_through_a_symlink_inside_the_output() {
    // D13: `public/things/alpha -> outside` made the build write into `outside/`.
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("index.html"), "victim").expect("write");
    let alpha = site.path().join("public/things/alpha");
    std::fs::remove_dir_all(&alpha).expect("rm");
    std::os::unix::fs::symlink(outside.path(), &alpha).expect("symlink");
    site.write(
        "content/things/alpha.md",
        site.read("content/things/alpha.md")
            .replace("first thing", "1st thing"),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("things/alpha"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).expect("read"),
        "victim"
    );
}

#[test]
fn files_majors_did_not_write_survive_rebuilds() {
    let site = support::site("");
    assert_eq!(site.run(["build"]).code, 0);
    site.write("public/CNAME", "fixture.example");
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages");
    std::fs::remove_file(site.path().join("content/glossary.md")).expect("rm");
    site.write(
        "content/_index.md",
        site.read("content/_index.md")
            .replace(" and the [glossary](@/glossary.md)", ""),
    );
    let run = site.run(["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(" removed)") && !run.stderr.contains(" 0 removed"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("public/CNAME"), "fixture.example");
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages");
    assert!(!site.path().join("public/glossary").exists());
}

/// A hash of a whole tree: paths and bytes.
fn tree_hash(dir: &Path) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    listing(dir).hash(&mut h);
    h.finish()
}

/// A site of `n` pages whose every page changes with the site title.
fn many_pages(n: usize) -> support::Site {
    let site = support::site("");
    for i in 0..n {
        site.write(
            &format!("content/things/t{i:04}.md"),
            format!("---\ntitle: Thing {i}\ncode: T{i}\nstatus: open\n---\nThing {i} is [alpha](@/things/alpha.md)'s neighbour.\n"),
        );
    }
    site
}

fn set_title(site: &support::Site, title: &str) {
    let config = site.read("site.yaml");
    let rest = config.split_once('\n').map_or("", |(_, r)| r).to_string();
    site.write("site.yaml", format!("title: {title}\n{rest}"));
}

/// Starts a build and kills it with SIGKILL when `when` says so (or when it ends).
fn kill_build(site: &support::Site, when: &dyn Fn(Duration) -> bool) {
    let mut child = majors(site.path())
        .arg("build")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if when(start.elapsed()) {
            let _ = child.kill();
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::yield_now();
    }
    let _ = child.wait();
}

#[test]
fn kill_9_at_any_point_leaves_the_old_or_the_new_build() {
    // D7: a killed build left `public/.majors-staging/` inside the output, and one killed in
    // the commit left old and new pages mixed.
    let site = many_pages(600);
    let public = site.path().join("public");
    let spare = site.path().join(".public.majors-previous");
    let marker = spare.join(".majors-stage");
    let mut hashes = Vec::new();
    for title in ["Fixture A", "Fixture B"] {
        set_title(&site, title);
        let run = site.run(["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        hashes.push(tree_hash(&public));
    }
    let started = Instant::now();
    set_title(&site, "Fixture A");
    assert_eq!(site.run(["build"]).code, 0);
    let full = started.elapsed();
    // Kill points: spread over the build's duration, and at the commit's steps (the spare
    // beside the output is opened for changes; it holds the new manifest, just before the
    // swap; its marker is gone, the swap is happening).
    let mut points: Vec<Box<dyn Fn(Duration) -> bool>> = Vec::new();
    for k in 0..12u32 {
        let at = full * k / 8;
        points.push(Box::new(move |t| t >= at));
    }
    let m = marker.clone();
    points.push(Box::new(move |_| m.is_file()));
    let (m, s) = (marker.clone(), spare.clone());
    points.push(Box::new(move |_| {
        m.is_file() && s.join(".majors-manifest").is_file()
    }));
    let m = marker.clone();
    let seen = std::sync::atomic::AtomicBool::new(false);
    points.push(Box::new(move |_| {
        let present = m.is_file();
        seen.fetch_or(present, std::sync::atomic::Ordering::SeqCst) && !present
    }));
    // Right after the swap: the output folder is another inode (the spare it swapped with).
    let p = public.clone();
    let before = std::cell::Cell::new(None);
    points.push(Box::new(move |_| {
        use std::os::unix::fs::MetadataExt;
        let ino = std::fs::symlink_metadata(&p).map(|m| m.ino()).ok();
        before.get().is_some_and(|b| ino.is_some_and(|i| i != b)) || {
            before.set(before.get().or(ino));
            false
        }
    }));
    let (mut saw_old, mut saw_new) = (false, false);
    for (trial, when) in points.iter().enumerate() {
        let (old, new) = if trial % 2 == 0 { (0, 1) } else { (1, 0) };
        set_title(&site, if new == 0 { "Fixture A" } else { "Fixture B" });
        kill_build(&site, when.as_ref());
        let now = tree_hash(&public);
        assert!(
            now == hashes[old] || now == hashes[new],
            "trial {trial}: public/ is a mix"
        );
        saw_old |= now == hashes[old];
        saw_new |= now == hashes[new];
        assert!(
            !public.join(".majors-staging").exists(),
            "trial {trial}: stage inside public/"
        );
        let run = site.run(["build"]);
        assert_eq!(run.code, 0, "trial {trial}: {}", run.stderr);
        assert_eq!(
            tree_hash(&public),
            hashes[new],
            "trial {trial}: the next build recovers"
        );
        assert!(
            !marker.exists(),
            "trial {trial}: the next build finishes the spare"
        );
        assert!(
            !site.path().join(".public.majors-staging").exists(),
            "trial {trial}: the next build cleans up"
        );
    }
    assert!(
        saw_old && saw_new,
        "the kills landed before and after the swap"
    );
}
