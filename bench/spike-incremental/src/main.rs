//! Driver: runs the same edit script against both engines, checks they produce identical
//! outputs after every step, and times each step (median of `--reps`).
//!
//! usage: spike-incr N [--impl both|salsa|table|none] [--reps R] [--no-check]
mod model;
#[cfg(feature = "salsa")]
mod salsa_impl;
mod table_impl;

use rustc_hash::FxHashMap;
use std::time::Instant;

#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub pages: usize,
    /// page_html values re-executed
    pub recomputed: usize,
    /// outputs whose content changed (files a generator would write)
    pub written: usize,
}

pub trait Engine: Sized {
    fn load(pages: &[(String, String)]) -> Self;
    fn set_text(&mut self, path: &str, text: String);
    fn add(&mut self, path: String, text: String);
    fn remove(&mut self, path: &str);
    /// Start a new revision without changing any input (salsa: synthetic write).
    fn nudge(&mut self);
    /// Produce every page_html output (recomputing only what changed).
    fn build(&mut self) -> Stats;
    /// (path, hash of page_html) for every page, sorted; not timed.
    fn outputs(&self) -> Vec<(String, u64)>;
}

struct StepResult {
    name: &'static str,
    times_ms: Vec<f64>,
    stats: Stats,
    digests: Vec<u64>,
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let m = s.len() / 2;
    if s.len() % 2 == 1 { s[m] } else { (s[m - 1] + s[m]) / 2.0 }
}

fn new_page_text(r: usize) -> String {
    format!(
        "+++\ntitle = New page {r}\ntype = t{}\nweight = 50\n+++\nA new page linking to [the hub](@/p0.md) and [another](@/p2.md).\n\nSome more text here.\n",
        r % 5
    )
}

/// Runs the whole script on engine E. `texts` is the driver's copy of the inputs.
fn run<E: Engine>(name: &str, n: usize, reps: usize, inputs: &[(String, String)]) -> (Vec<StepResult>, Vec<(String, u64)>, Vec<(String, String)>) {
    let mut texts: FxHashMap<String, String> = inputs.iter().cloned().collect();
    let mut order: Vec<String> = inputs.iter().map(|p| p.0.clone()).collect();
    let mut results = Vec::new();

    // initial full computation: load inputs + build everything, fresh engine each rep
    let mut eng: Option<E> = None;
    let mut r0 = StepResult { name: "initial", times_ms: vec![], stats: Stats::default(), digests: vec![] };
    for _ in 0..reps {
        drop(eng.take());
        let t = Instant::now();
        let mut e = E::load(inputs);
        let s = e.build();
        r0.times_ms.push(t.elapsed().as_secs_f64() * 1e3);
        r0.stats = s;
        r0.digests.push(model::fx(&e.outputs()));
        eng = Some(e);
    }
    results.push(r0);
    let mut e = eng.unwrap();

    type Edit<'a> = Box<dyn Fn(usize, &mut FxHashMap<String, String>, &mut Vec<String>) -> Vec<Op> + 'a>;
    enum Op { Set(String, String), Add(String, String), Remove(String), Nudge, Nothing }
    let pick = |base: usize, r: usize| model::page_path((base + r) % n);
    let steps: Vec<(&'static str, Edit)> = vec![
        ("noop_same_revision", Box::new(|_, _, _| vec![Op::Nothing])),
        ("noop_new_revision", Box::new(|_, _, _| vec![Op::Nudge])),
        ("a_body_edit", Box::new(move |r, t, _| {
            let p = pick(1000, r);
            let mut s = t[&p].clone();
            s.push_str(&format!("\nEdited in revision {r}.\n"));
            vec![Op::Set(p, s)]
        })),
        ("b_title_of_hub", Box::new(|r, t, _| {
            let p = model::page_path(0);
            vec![Op::Set(p.clone(), model::set_header(&t[&p], "title", Some(&format!("Hub zero v{r}"))))]
        })),
        ("c_weight_new_first", Box::new(move |r, t, _| {
            let p = pick(2000, r);
            vec![Op::Set(p.clone(), model::set_header(&t[&p], "weight", Some(&format!("-{}", r + 1))))]
        })),
        ("d_slug_of_hub", Box::new(|r, t, _| {
            let p = model::page_path(1);
            vec![Op::Set(p.clone(), model::set_header(&t[&p], "slug", Some(&format!("hub-one-v{r}"))))]
        })),
        ("e_add_page", Box::new(|r, _, _| vec![Op::Add(format!("new{r}.md"), new_page_text(r))])),
        ("e_remove_page", Box::new(move |r, _, _| vec![Op::Remove(pick(3000, r))])),
    ];
    for (sname, edit) in &steps {
        let mut sr = StepResult { name: sname, times_ms: vec![], stats: Stats::default(), digests: vec![] };
        for r in 0..reps {
            let ops = edit(r, &mut texts, &mut order);
            let t = Instant::now();
            for op in ops {
                match op {
                    Op::Set(p, s) => { texts.insert(p.clone(), s.clone()); e.set_text(&p, s); }
                    Op::Add(p, s) => { texts.insert(p.clone(), s.clone()); order.push(p.clone()); e.add(p, s); }
                    Op::Remove(p) => { texts.remove(&p); order.retain(|x| *x != p); e.remove(&p); }
                    Op::Nudge => e.nudge(),
                    Op::Nothing => {}
                }
            }
            let s = e.build();
            sr.times_ms.push(t.elapsed().as_secs_f64() * 1e3);
            sr.stats = s;
            sr.digests.push(model::fx(&e.outputs()));
        }
        results.push(sr);
    }
    for sr in &results {
        println!(
            "RESULT impl={name} n={n} step={} median_ms={:.3} min_ms={:.3} max_ms={:.3} reps={} pages={} recomputed_page_html={} written={}",
            sr.name, median(&sr.times_ms), sr.times_ms.iter().cloned().fold(f64::MAX, f64::min),
            sr.times_ms.iter().cloned().fold(0.0, f64::max), sr.times_ms.len(), sr.stats.pages, sr.stats.recomputed, sr.stats.written
        );
    }
    let final_inputs: Vec<(String, String)> = order.iter().map(|p| (p.clone(), texts[p].clone())).collect();
    (results, e.outputs(), final_inputs)
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status").ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string()))
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let opt = |k: &str| args.iter().position(|a| a == k).and_then(|i| args.get(i + 1)).cloned();
    let which = opt("--impl").unwrap_or_else(|| "both".into());
    let reps: usize = opt("--reps").and_then(|s| s.parse().ok()).unwrap_or(7);
    let inputs: Vec<(String, String)> = (0..n).map(|i| model::gen_page(i, n)).collect();
    {
        let p0 = model::page_path(0);
        let bl = inputs.iter().filter(|(_, t)| model::parse(t).links.contains(&p0)).count();
        let bytes: usize = inputs.iter().map(|p| p.1.len()).sum();
        println!("INFO n={n} reps={reps} rayon_threads={} avg_text_bytes={} p0_backlinks={bl}", rayon::current_num_threads(), bytes / n);
    }

    let mut digests: Vec<(&str, Vec<(&'static str, Vec<u64>)>)> = Vec::new();
    let mut finals: Vec<(&str, Vec<(String, u64)>)> = Vec::new();
    let mut final_inputs = Vec::new();
    if which == "both" || which == "table" {
        let (res, out, fi) = run::<table_impl::TableEngine>("table", n, reps, &inputs);
        digests.push(("table", res.into_iter().map(|r| (r.name, r.digests)).collect()));
        finals.push(("table", out));
        final_inputs = fi;
    }
    #[cfg(feature = "salsa")]
    if which == "both" || which == "salsa" {
        let (res, out, fi) = run::<salsa_impl::SalsaEngine>("salsa", n, reps, &inputs);
        digests.push(("salsa", res.into_iter().map(|r| (r.name, r.digests)).collect()));
        finals.push(("salsa", out));
        final_inputs = fi;
    }
    #[cfg(not(feature = "salsa"))]
    if which == "salsa" {
        eprintln!("built without the `salsa` feature");
    }
    println!("INFO VmHWM_kB={}", vm_hwm());

    if args.iter().any(|a| a == "--no-check") {
        return; // for peak-RSS runs: skip the from-scratch comparison build
    }
    // correctness: incremental result == from-scratch result, and A == B after every step
    let scratch = {
        let mut e = table_impl::TableEngine::load(&final_inputs);
        e.build();
        e.outputs()
    };
    for (name, out) in &finals {
        assert_eq!(out, &scratch, "{name}: incremental outputs differ from a from-scratch build");
        println!("CHECK {name}: incremental outputs == from-scratch outputs ({} pages)", out.len());
    }
    if digests.len() == 2 {
        assert_eq!(digests[0].1, digests[1].1, "salsa and table outputs differ");
        println!("CHECK salsa and table outputs identical after every step of every rep");
    }
}
