//! Implementation A: salsa. Inputs are `#[salsa::input]`, every derived value is a
//! `#[salsa::tracked]` function; salsa records reads and backdates equal results.
use crate::model::{self, Meta, Parsed, View, NTYPES};
use crate::{Engine, Stats};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use salsa::{Database, Setter};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

pub static RECOMPUTED: AtomicUsize = AtomicUsize::new(0);

#[salsa::input]
pub struct File {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
}

#[salsa::input]
pub struct TypeKey {
    #[returns(copy)]
    pub ty: u8,
}

#[salsa::input(singleton)]
pub struct Site {
    #[returns(ref)]
    pub pages: Vec<File>,
    #[returns(ref)]
    pub types: Vec<TypeKey>,
}

#[salsa::interned]
pub struct PathKey<'db> {
    #[returns(ref)]
    pub path: String,
}

#[salsa::db]
#[derive(Clone, Default)]
pub struct Db {
    storage: salsa::Storage<Self>,
}
#[salsa::db]
impl salsa::Database for Db {}

#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn Database, f: File) -> Parsed {
    model::parse(f.text(db))
}
// Firewalls: small queries so that a body edit is cut off here (backdated) and readers of
// meta/links/view are not re-run.
#[salsa::tracked(returns(ref))]
pub fn meta(db: &dyn Database, f: File) -> Meta {
    parse(db, f).meta.clone()
}
#[salsa::tracked(returns(ref))]
pub fn links(db: &dyn Database, f: File) -> Vec<String> {
    parse(db, f).links.clone()
}
#[salsa::tracked(returns(ref))]
pub fn view(db: &dyn Database, f: File) -> View {
    model::view(f.path(db), meta(db, f))
}

#[salsa::tracked(returns(ref))]
fn path_index(db: &dyn Database, site: Site) -> FxHashMap<String, File> {
    site.pages(db).iter().map(|&f| (f.path(db).clone(), f)).collect()
}
#[salsa::tracked(returns(copy))]
pub fn resolve<'db>(db: &'db dyn Database, key: PathKey<'db>) -> Option<File> {
    path_index(db, Site::get(db)).get(key.path(db)).copied()
}

#[salsa::tracked(returns(ref))]
pub fn pages_of_type(db: &dyn Database, t: TypeKey) -> Vec<File> {
    let ty = t.ty(db);
    let mut v: Vec<(&Meta, &str, File)> = Site::get(db)
        .pages(db)
        .iter()
        .map(|&f| (meta(db, f), f.path(db).as_str(), f))
        .filter(|(m, _, _)| m.ty == ty)
        .collect();
    v.sort_by(|a, b| model::type_order_key(a.0, a.1).cmp(&model::type_order_key(b.0, b.1)));
    v.into_iter().map(|x| x.2).collect()
}
#[salsa::tracked(returns(ref))]
pub fn first_title(db: &dyn Database, t: TypeKey) -> Option<String> {
    pages_of_type(db, t).first().map(|&f| view(db, f).title.clone())
}

#[salsa::tracked(returns(ref))]
fn backlink_index(db: &dyn Database, site: Site) -> FxHashMap<File, Vec<File>> {
    let mut inv: FxHashMap<File, Vec<File>> = FxHashMap::default();
    for &f in site.pages(db) {
        for l in links(db, f) {
            if let Some(t) = resolve(db, PathKey::new(db, l.clone())) {
                inv.entry(t).or_default().push(f);
            }
        }
    }
    for v in inv.values_mut() {
        v.sort_by(|a, b| a.path(db).cmp(b.path(db)));
    }
    inv
}
#[salsa::tracked(returns(ref))]
pub fn backlinks(db: &dyn Database, f: File) -> Vec<File> {
    backlink_index(db, Site::get(db)).get(&f).cloned().unwrap_or_default()
}

#[salsa::tracked(returns(ref))]
pub fn body_html(db: &dyn Database, f: File) -> String {
    model::body_html(&parse(db, f).body, |target| {
        resolve(db, PathKey::new(db, target.to_string())).map(|t| {
            let v = view(db, t);
            (v.url.as_str(), v.title.as_str())
        })
    })
}

#[salsa::tracked(returns(ref))]
pub fn page_html(db: &dyn Database, f: File) -> String {
    RECOMPUTED.fetch_add(1, Relaxed);
    let site = Site::get(db);
    let ty = site.types(db)[meta(db, f).ty as usize];
    model::page_html(
        &view(db, f).title,
        body_html(db, f),
        backlinks(db, f).iter().map(|&b| {
            let v = view(db, b);
            (v.url.as_str(), v.title.as_str())
        }),
        first_title(db, ty).as_deref(),
    )
}

/// Hash of the output, so the writer can tell cheaply which files changed (re-runs only when
/// page_html produced a new value).
#[salsa::tracked(returns(copy))]
pub fn page_hash(db: &dyn Database, f: File) -> u64 {
    model::fx(page_html(db, f))
}

// ---------------------------------------------------------------- engine wrapper

pub struct SalsaEngine {
    db: Db,
    site: Site,
    files: FxHashMap<String, File>,
    /// Hash of the content last written per file.
    written: FxHashMap<File, u64>,
}

impl Engine for SalsaEngine {
    fn load(pages: &[(String, String)]) -> Self {
        let db = Db::default();
        let types = (0..NTYPES).map(|t| TypeKey::new(&db, t)).collect();
        let mut files = FxHashMap::default();
        let list = pages
            .iter()
            .map(|(p, t)| *files.entry(p.clone()).or_insert(File::new(&db, p.clone(), t.clone())))
            .collect();
        let site = Site::new(&db, list, types);
        SalsaEngine { db, site, files, written: FxHashMap::default() }
    }
    fn set_text(&mut self, path: &str, text: String) {
        self.files[path].set_text(&mut self.db).to(text);
    }
    fn add(&mut self, path: String, text: String) {
        let f = File::new(&self.db, path.clone(), text);
        self.files.insert(path, f);
        let mut v = self.site.pages(&self.db).clone();
        v.push(f);
        self.site.set_pages(&mut self.db).to(v);
    }
    fn remove(&mut self, path: &str) {
        // salsa has no input deletion: the File stays in the db, it is just no longer listed.
        let f = self.files.remove(path).unwrap();
        let v = self.site.pages(&self.db).iter().copied().filter(|&x| x != f).collect();
        self.site.set_pages(&mut self.db).to(v);
        self.written.remove(&f);
    }
    fn nudge(&mut self) {
        self.db.synthetic_write(salsa::Durability::LOW);
    }
    fn build(&mut self) -> Stats {
        RECOMPUTED.store(0, Relaxed);
        let pages = self.site.pages(&self.db).clone();
        // Parallel: one db handle (clone of the storage handle) per rayon job. The handle is
        // Send but not Sync, so rayon's shared init closure clones it out of a Mutex.
        let proto = std::sync::Mutex::new(self.db.clone());
        let hashes: Vec<u64> = pages
            .par_iter()
            .map_init(|| proto.lock().unwrap().clone(), |db, &f| page_hash(db, f))
            .collect();
        let mut written = 0;
        for (&f, h) in pages.iter().zip(hashes) {
            if self.written.insert(f, h) != Some(h) {
                written += 1; // a real generator writes page_html(db, f) to disk here
            }
        }
        Stats { pages: pages.len(), recomputed: RECOMPUTED.load(Relaxed), written }
    }
    fn outputs(&self) -> Vec<(String, u64)> {
        let mut v: Vec<_> = self
            .site
            .pages(&self.db)
            .iter()
            .map(|&f| (f.path(&self.db).clone(), model::fx(page_html(&self.db, f))))
            .collect();
        v.sort();
        v
    }
}
