//! Qualitative checks: salsa + minijinja template callbacks, salsa values, cancellation.
//! Run: cargo run --release --features minijinja --bin mjcheck
use minijinja::{Environment, Value};
use salsa::{Database, Setter};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::OnceLock;

static RENDERS: AtomicUsize = AtomicUsize::new(0);

#[salsa::input]
struct Page {
    #[returns(ref)]
    path: String,
    #[returns(ref)]
    title: String,
    #[returns(ref)]
    body: String,
}
#[salsa::input(singleton)]
struct Site {
    #[returns(ref)]
    pages: Vec<Page>,
}

#[salsa::db]
#[derive(Clone, Default)]
struct Db {
    storage: salsa::Storage<Self>,
}
#[salsa::db]
impl salsa::Database for Db {}

#[salsa::tracked(returns(ref))]
fn title_of(db: &dyn Database, p: Page) -> String {
    p.title(db).clone()
}

/// A tracked fn may return a minijinja::Value: it is 'static + PartialEq, which is all salsa
/// 0.28 needs (backdating compares with ==; Value's == is structural, so a big map is
/// compared field by field on every re-execution).
#[salsa::tracked(returns(ref))]
fn page_ctx(db: &dyn Database, p: Page) -> Value {
    Value::from_serialize(std::collections::BTreeMap::from([("title", p.title(db).clone()), ("path", p.path(db).clone())]))
}

/// The template engine is built once and is 'static: its functions cannot capture `&dyn Db`.
/// They reach the database through salsa's thread-local "attached" db instead, which every
/// tracked-fn call sets; reads made that way are recorded as dependencies of the running query.
fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.add_function("get_page", |path: String| -> Result<Value, minijinja::Error> {
            salsa::with_attached_database(|db| {
                let site = Site::get(db);
                let p = site.pages(db).iter().copied().find(|p| *p.path(db) == path);
                match p {
                    Some(p) => page_ctx(db, p).clone(),
                    None => Value::UNDEFINED,
                }
            })
            .ok_or_else(|| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, "no salsa db attached"))
        });
        env.add_function("spin", |n: u64| {
            // long-running callback that keeps calling queries (cancellation points)
            salsa::with_attached_database(|db| {
                for _ in 0..n {
                    let site = Site::get(db);
                    for &p in site.pages(db) {
                        let _ = title_of(db, p);
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                    db.unwind_if_revision_cancelled();
                }
            });
            0
        });
        env.add_template("page", "{{ title }} links to: {{ get_page('b.md').title }}").unwrap();
        env.add_template("slow", "{{ spin(n) }}").unwrap();
        env
    })
}

#[salsa::tracked(returns(ref))]
fn render(db: &dyn Database, p: Page) -> String {
    RENDERS.fetch_add(1, Relaxed);
    env().get_template("page").unwrap().render(minijinja::context! { title => p.title(db) }).unwrap()
}

#[salsa::tracked(returns(ref))]
fn slow(db: &dyn Database, p: Page, ) -> String {
    let _ = p.body(db);
    env().get_template("slow").unwrap().render(minijinja::context! { n => 5000 }).unwrap()
}

#[cfg(feature = "try_capture")]
fn try_capture(db: &dyn Database) {
    let mut env = Environment::new();
    // Capturing the db handle in a minijinja function: does not compile (needs 'static).
    env.add_function("get_title", move |path: String| {
        let site = Site::get(db);
        site.pages(db).iter().find(|p| *p.path(db) == path).map(|p| p.title(db).clone())
    });
}

fn main() {
    let mut db = Db::default();
    let a = Page::new(&db, "a.md".into(), "A".into(), "body a".into());
    let b = Page::new(&db, "b.md".into(), "B".into(), "body b".into());
    Site::new(&db, vec![a, b]);

    println!("1: {}  (renders={})", render(&db, a), RENDERS.load(Relaxed));
    b.set_body(&mut db).to("body b, edited".into());
    println!("2: after body edit of b: {}  (renders={}; 1 => reads in callback were cut off correctly)", render(&db, a), RENDERS.load(Relaxed));
    b.set_title(&mut db).to("B2".into());
    println!("3: after title edit of b: {}  (renders={}; 2 => read inside the callback was recorded)", render(&db, a), RENDERS.load(Relaxed));
    assert_eq!(render(&db, a), "A links to: B2");

    // Cancellation: a render on another thread (own db handle) is cancelled when the main
    // handle writes an input; the query unwinds (a panic carrying salsa::Cancelled) through
    // minijinja's render stack, and Cancelled::catch turns it into an Err.
    let db2 = db.clone();
    let t = std::thread::spawn(move || salsa::Cancelled::catch(|| slow(&db2, a).clone()));
    std::thread::sleep(std::time::Duration::from_millis(200));
    let start = std::time::Instant::now();
    a.set_title(&mut db).to("A2".into()); // blocks until the other handle is dropped
    println!("4: setter returned after {:?}; worker result: {:?}", start.elapsed(), t.join().unwrap().map(|_| "completed"));
}
