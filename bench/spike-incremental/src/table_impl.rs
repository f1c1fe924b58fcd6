//! Implementation B: a hand-written query table. Each derived value is stored with a key: the
//! hash of exactly what it read (own text hash; other pages' (url,title) view hashes; the
//! backlink list; the first-of-type title). A rebuild runs the stages in dependency order,
//! recomputes only entries whose key changed, and cuts off early by comparing value hashes.
//! Global dirty flags skip whole stages when nothing they read can have changed.
use crate::model::{self, fx, Parsed, View, NTYPES};
use crate::{Engine, Stats};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

const MISSING: u64 = 0x5eed;

struct ParsedE {
    text_hash: u64,
    p: Parsed,
    view: View,
    meta_hash: u64,
    links_hash: u64,
    body_hash: u64,
    view_hash: u64,
}
struct Out {
    key: u64,
    html: String,
    hash: u64,
}

#[derive(Default)]
pub struct TableEngine {
    paths: Vec<String>,
    texts: Vec<String>,
    text_hash: Vec<u64>,
    live: Vec<bool>,
    by_path: FxHashMap<String, u32>,
    dirty: Vec<u32>,
    set_changed: bool,
    parsed: Vec<Option<ParsedE>>,
    types: Vec<(Vec<u32>, Option<String>)>, // pages_of_type list, title of its first
    backlinks: Vec<Vec<u32>>,
    bodies: Vec<Option<Out>>,
    pages: Vec<Option<Out>>,
}

impl TableEngine {
    fn view_hash(&self, target: &str) -> u64 {
        match self.by_path.get(target) {
            Some(&t) => self.parsed[t as usize].as_ref().unwrap().view_hash,
            None => MISSING,
        }
    }
    fn body_key(&self, i: usize) -> u64 {
        let pe = self.parsed[i].as_ref().unwrap();
        let reads: Vec<u64> = pe.p.links.iter().map(|l| self.view_hash(l)).collect();
        fx(&(pe.body_hash, reads))
    }
    fn page_key(&self, i: usize) -> u64 {
        let pe = self.parsed[i].as_ref().unwrap();
        let bl: Vec<u64> = self.backlinks[i].iter().map(|&b| self.parsed[b as usize].as_ref().unwrap().view_hash).collect();
        let first = &self.types[pe.p.meta.ty as usize].1;
        fx(&(pe.view_hash, self.bodies[i].as_ref().unwrap().hash, bl, first))
    }
    /// Recompute, in parallel, the entries of `out` selected by `cand` whose key changed.
    /// Returns a mask of entries whose value hash changed, and the count recomputed.
    fn stage(&self, out: &mut [Option<Out>], cand: &[bool], key: impl Fn(usize) -> u64 + Sync,
             compute: impl Fn(usize) -> String + Sync) -> (Vec<bool>, usize) {
        let res: Vec<(bool, bool)> = out.par_iter_mut().enumerate().map(|(i, slot)| {
            if !cand[i] { return (false, false); }
            let k = key(i);
            if slot.as_ref().map(|o| o.key) == Some(k) { return (false, false); }
            let html = compute(i);
            let hash = fx(&html);
            let changed = slot.as_ref().map(|o| o.hash) != Some(hash);
            *slot = Some(Out { key: k, html, hash });
            (changed, true)
        }).collect();
        (res.iter().map(|r| r.0).collect(), res.iter().filter(|r| r.1).count())
    }
}

impl Engine for TableEngine {
    fn load(pages: &[(String, String)]) -> Self {
        let mut e = TableEngine::default();
        for (p, t) in pages {
            e.add(p.clone(), t.clone());
        }
        e
    }
    fn set_text(&mut self, path: &str, text: String) {
        let i = self.by_path[path];
        self.text_hash[i as usize] = fx(&text);
        self.texts[i as usize] = text;
        self.dirty.push(i);
    }
    fn add(&mut self, path: String, text: String) {
        let i = self.paths.len() as u32;
        self.by_path.insert(path.clone(), i);
        self.paths.push(path);
        self.text_hash.push(fx(&text));
        self.texts.push(text);
        self.live.push(true);
        self.dirty.push(i);
        self.set_changed = true;
    }
    fn remove(&mut self, path: &str) {
        let i = self.by_path.remove(path).unwrap() as usize;
        self.live[i] = false;
        self.texts[i] = String::new();
        self.parsed[i] = None;
        self.bodies[i] = None;
        self.pages[i] = None;
        self.set_changed = true;
    }
    fn nudge(&mut self) {}

    fn build(&mut self) -> Stats {
        let n = self.paths.len();
        self.parsed.resize_with(n, || None);
        self.bodies.resize_with(n, || None);
        self.pages.resize_with(n, || None);
        self.backlinks.resize_with(n, Vec::new);
        // 1. parse what was touched
        let mut dirty = std::mem::take(&mut self.dirty);
        dirty.sort_unstable();
        dirty.dedup();
        let fresh: Vec<(usize, ParsedE)> = dirty.par_iter().map(|&i| i as usize)
            .filter(|&i| self.live[i] && self.parsed[i].as_ref().map(|p| p.text_hash) != Some(self.text_hash[i]))
            .map(|i| {
                let p = model::parse(&self.texts[i]);
                let view = model::view(&self.paths[i], &p.meta);
                let e = ParsedE { text_hash: self.text_hash[i], meta_hash: fx(&p.meta), links_hash: fx(&p.links),
                    body_hash: fx(&p.body), view_hash: fx(&view), view, p };
                (i, e)
            }).collect();
        let (mut view_ch, mut meta_ch, mut links_ch) = (false, false, false);
        let mut own_ch = vec![false; n];
        for (i, e) in fresh {
            let old = self.parsed[i].as_ref();
            view_ch |= old.map(|o| o.view_hash) != Some(e.view_hash);
            meta_ch |= old.map(|o| o.meta_hash) != Some(e.meta_hash);
            links_ch |= old.map(|o| o.links_hash) != Some(e.links_hash);
            own_ch[i] = old.map(|o| o.body_hash) != Some(e.body_hash);
            self.parsed[i] = Some(e);
        }
        let set_ch = std::mem::take(&mut self.set_changed);
        // 2. pages_of_type and its first title
        let mut first_ch = false;
        if meta_ch || set_ch {
            for ty in 0..NTYPES {
                let mut list: Vec<u32> = (0..n as u32).filter(|&i| {
                    self.parsed[i as usize].as_ref().is_some_and(|p| p.p.meta.ty == ty)
                }).collect();
                let key = |i: &u32| model::type_order_key(&self.parsed[*i as usize].as_ref().unwrap().p.meta, &self.paths[*i as usize]);
                list.sort_by(|a, b| key(a).cmp(&key(b)));
                let first = list.first().map(|&i| self.parsed[i as usize].as_ref().unwrap().view.title.clone());
                match self.types.get_mut(ty as usize) {
                    Some(t) => { first_ch |= t.1 != first; *t = (list, first); }
                    None => { first_ch = true; self.types.push((list, first)); }
                }
            }
        }
        // 3. backlinks: global inversion
        let mut bl_ch = false;
        if links_ch || set_ch {
            let mut inv: Vec<Vec<u32>> = vec![Vec::new(); n];
            for (i, pe) in self.parsed.iter().enumerate() {
                for l in pe.iter().flat_map(|pe| &pe.p.links) {
                    if let Some(&t) = self.by_path.get(l) { inv[t as usize].push(i as u32); }
                }
            }
            for v in &mut inv { v.sort_by(|a, b| self.paths[*a as usize].cmp(&self.paths[*b as usize])); }
            bl_ch = inv != self.backlinks;
            self.backlinks = inv;
        }
        // 4. body_html: reads own body + linked pages' views
        let cand: Vec<bool> = if view_ch || set_ch { self.live.clone() } else { own_ch };
        let mut bodies = std::mem::take(&mut self.bodies);
        let (body_ch, _) = self.stage(&mut bodies, &cand, |i| self.body_key(i), |i| {
            model::body_html(&self.parsed[i].as_ref().unwrap().p.body, |t| {
                self.by_path.get(t).map(|&t| { let v = &self.parsed[t as usize].as_ref().unwrap().view; (v.url.as_str(), v.title.as_str()) })
            })
        });
        self.bodies = bodies;
        // 5. page_html: own title, body_html, backlinks' views, first-of-type title
        let cand: Vec<bool> = if view_ch || set_ch || bl_ch || first_ch || meta_ch { self.live.clone() } else { body_ch };
        let mut pages = std::mem::take(&mut self.pages);
        let (written, recomputed) = self.stage(&mut pages, &cand, |i| self.page_key(i), |i| {
            let pe = self.parsed[i].as_ref().unwrap();
            model::page_html(&pe.view.title, &self.bodies[i].as_ref().unwrap().html,
                self.backlinks[i].iter().map(|&b| { let v = &self.parsed[b as usize].as_ref().unwrap().view; (v.url.as_str(), v.title.as_str()) }),
                self.types[pe.p.meta.ty as usize].1.as_deref())
        });
        self.pages = pages;
        Stats { pages: self.by_path.len(), recomputed, written: written.iter().filter(|&&w| w).count() }
    }
    fn outputs(&self) -> Vec<(String, u64)> {
        let mut v: Vec<_> = (0..self.paths.len()).filter(|&i| self.live[i])
            .map(|i| (self.paths[i].clone(), self.pages[i].as_ref().unwrap().hash)).collect();
        v.sort();
        v
    }
}
