//! Element ids on a page: every heading and footnote gets one, and no two are the same.
//!
//! Headings, footnote definitions and footnote references share one namespace, together with
//! the ids the page's templates write themselves (`main`, `toc-title`, …): a heading `Fn 1`
//! next to a footnote `[^1]`, or `A 1` before two headings `A`, used to give two elements one
//! id. The first claimant of an id keeps it; later ones get the next free `-N` suffix.

use std::collections::{HashMap, HashSet};

/// The ids taken on one page.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
    /// The next suffix to try per base, so `n` headings of one name cost `n` probes.
    next: HashMap<String, usize>,
}

impl Ids {
    /// An id set that starts with the template's own ids taken.
    pub fn with_reserved(reserved: &HashSet<String>) -> Self {
        Ids {
            taken: reserved.clone(),
            next: HashMap::new(),
        }
    }

    /// Takes `base` if it is free, else the first free `base-N` (N from 1).
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_id_is_handed_out_twice() {
        let mut ids = Ids::with_reserved(&HashSet::from(["main".to_string()]));
        let got: Vec<String> = ["a-1", "a", "a", "a", "main", "fn-1", "fn-1"]
            .iter()
            .map(|b| ids.claim(b))
            .collect();
        assert_eq!(got, ["a-1", "a", "a-2", "a-3", "main-1", "fn-1", "fn-1-1"]);
    }
}
