//! Test harness: copy a fixture site to a temp dir, run `majors`, capture what it did.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How long a run on a hostile input may take before it counts as hung: hundreds of times the
/// benchmark targets (the old quadratic code took 94–289 s on these inputs).
pub const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(60);

/// A fixture site in a temp dir.
pub struct Site {
    pub dir: tempfile::TempDir,
}

/// The result of one run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("fixture readable");
        let rel = entry.path().strip_prefix(from).expect("under fixture");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The base fixture with the files of `case` (a folder under tests/fixtures/) laid over it.
pub fn site(case: &str) -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = repo_root().join("tests/fixtures");
    copy_tree(&fixtures.join("base"), dir.path());
    if !case.is_empty() {
        copy_tree(&fixtures.join(case), dir.path());
    }
    // A case may delete base files by listing them in `DELETE`.
    let delete = dir.path().join("DELETE");
    if let Ok(list) = std::fs::read_to_string(&delete) {
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let _ = std::fs::remove_file(dir.path().join(line.trim()));
        }
        let _ = std::fs::remove_file(delete);
    }
    Site { dir }
}

impl Site {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The command `majors ARGS --root <site> --color never`.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_majors"));
        cmd.args(args)
            .arg("--root")
            .arg(self.path())
            .arg("--color")
            .arg("never")
            .env_remove("RUST_LOG");
        cmd
    }

    /// Runs `majors ARGS --root <site>`.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command(args).output().expect("run majors").into()
    }

    /// Runs `majors ARGS --root <site>` but gives up after `limit`: a guard against hangs
    /// (inputs that once took minutes), far above any real run time. Not a timing assertion;
    /// speed is measured in `bench/`. Panics if the run does not finish in time.
    pub fn run_within<S: AsRef<std::ffi::OsStr>>(
        &self,
        args: &[S],
        limit: std::time::Duration,
    ) -> Run {
        let mut child = self
            .command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run majors");
        // Drain the pipes on threads so a chatty run cannot block on a full pipe.
        let mut out = child.stdout.take().expect("piped");
        let mut err = child.stderr.take().expect("piped");
        let read = |r: &mut dyn std::io::Read| {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        };
        let out_thread = std::thread::spawn(move || read(&mut out));
        let err_thread = std::thread::spawn(move || read(&mut err));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("majors did not finish within {limit:?}");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        Run {
            code: status.code().unwrap_or(-1),
            stdout: out_thread.join().expect("stdout"),
            stderr: err_thread.join().expect("stderr"),
        }
    }

    /// Builds the site into `dir` (a folder inside it), asserting success.
    pub fn build_into(&self, dir: &str) -> PathBuf {
        let out = self.path().join(dir);
        let run = self.run(["build", "-o", out.to_str().expect("utf-8 path")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        out
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    /// Lays out `public/` as a majors build would have left it: the files and the manifest
    /// that says majors wrote them.
    pub fn previous_build(&self, files: &[(&str, &str)]) {
        let mut names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        names.sort_unstable();
        for (p, text) in files {
            self.write(&format!("public/{p}"), text);
        }
        let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        self.write(
            "public/.majors-manifest",
            format!(
                "{{\"generator\": \"majors\", \"version\": 1, \"files\": [{}]}}\n",
                list.join(",")
            ),
        );
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Every file under `rel` with its bytes.
    pub fn snapshot_dir(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path().join(rel);
        let mut out = BTreeMap::new();
        if !root.exists() {
            return out;
        }
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.expect("readable");
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(entry.path()).expect("read"));
            }
        }
        out
    }
}

impl Run {
    /// stderr with the temp path and timings normalized, for snapshots.
    pub fn normalized_stderr(&self, site: &Site) -> String {
        normalize(&self.stderr, site)
    }
}

/// Replaces the temp root with `[ROOT]` and timings with `[TIME]`.
pub fn normalize(text: &str, site: &Site) -> String {
    let root = site.path().to_string_lossy().into_owned();
    let mut out = text.replace(&root, "[ROOT]");
    while let Some(i) = out.find(" ms") {
        let start = out[..i].rfind(' ').map_or(0, |s| s + 1);
        if out[start..i].chars().all(|c| c.is_ascii_digit()) && start < i {
            out.replace_range(start..i + 3, "[TIME]");
        } else {
            break;
        }
    }
    out
}

/// Runs git in `dir` with fixed identities and dates (`date` is RFC 3339).
pub fn git(dir: &std::path::Path, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
