//! The inputs of a rebuild: content files read into the source map with a generation that
//! changes exactly when their text does, the assets beside them, and static files changed in
//! place.

use super::*;

impl Rebuilder {
    fn bump(&mut self, file: FileId) {
        self.generation.insert(file, self.next_generation);
        self.next_generation += 1;
    }

    /// Reads one content file (new or changed) into the source map, remembering its UTF-8
    /// problems (reported on every build while they last).
    fn read_content(&mut self, rel: &str) -> Result<(), LoadError> {
        let abs = self.opts.root.join("content").join(rel);
        let read = read_source(&abs, format!("content/{rel}"))?;
        self.install_content(rel, read);
        Ok(())
    }

    /// Puts a file read by [`read_source`] into the source map: an unchanged text keeps its
    /// id and generation, a changed or new one gets a new generation.
    fn install_content(&mut self, rel: &str, (file, bad): (SourceFile, Option<usize>)) {
        let id = match self.content.get(rel) {
            Some(&id) if self.sources.get(id).text == file.text => id,
            Some(&id) => {
                self.sources.replace_file(id, file);
                self.bump(id);
                id
            }
            None => {
                let id = match self.sources.find(&file.rel_path) {
                    Some(id) => {
                        self.sources.replace_file(id, file);
                        id
                    }
                    None => self.sources.add_file(file),
                };
                self.bump(id);
                id
            }
        };
        self.content.insert(rel.to_string(), id);
        let text = &self.sources.get(id).text;
        let body =
            crate::content::front_matter::split_front_matter(text, id).map_or(0, |s| s.body.start);
        let mut problems = control_characters(id, text, body);
        problems.extend(bad.map(|bad| invalid_utf8(id, bad)));
        if problems.is_empty() {
            self.read_problems.remove(&id);
        } else {
            self.read_problems.insert(id, problems);
        }
    }

    /// Reads every content file again (in parallel; installed in path order) and lists the
    /// assets beside them.
    pub(super) fn rescan_content(&mut self) -> Result<(), LoadError> {
        let dir = self.opts.root.join("content");
        if !dir.is_dir() {
            return Err(LoadError::NoContentDir(dir));
        }
        self.assets.clear();
        let mut pages = Vec::new();
        self.walk_problems.clear();
        for (abs, rel) in walk_files(&dir, "content", &self.bounds, &mut self.walk_problems)? {
            if rel.ends_with(".md") {
                pages.push((abs, rel));
            } else {
                self.assets.push(Asset {
                    source: abs,
                    output: rel,
                });
            }
        }
        let read: Vec<_> = pages
            .par_iter()
            .map(|(abs, rel)| read_source(abs, format!("content/{rel}")))
            .collect();
        let mut seen = BTreeMap::new();
        for ((_, rel), r) in pages.iter().zip(read) {
            self.install_content(rel, r?);
            seen.insert(rel.clone(), self.content[rel]);
        }
        self.content = seen;
        let assets: Vec<_> = self
            .assets
            .par_iter()
            .map(|a| {
                std::fs::read(&a.source)
                    .map(|bytes| (a.output.clone(), FileBytes::plain(bytes)))
                    .map_err(|source| LoadError::Read {
                        path: a.source.clone(),
                        source,
                    })
            })
            .collect();
        self.asset_bytes.clear();
        for a in assets {
            let (output, bytes) = a?;
            self.asset_bytes.insert(output, bytes);
        }
        Ok(())
    }

    /// Applies a batch of changed content paths; anything unusual falls back to a rescan.
    pub(super) fn apply_changes(&mut self, paths: &[String]) -> Result<(), LoadError> {
        let mut rescan = false;
        for p in paths {
            let Some(rel) = p.strip_prefix("content/") else {
                continue;
            };
            let abs = self.opts.root.join(p);
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if is_ignored_name(name) {
                continue;
            }
            // A symlink is re-walked, so it is checked as `build` checks it.
            let plain_file = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file());
            if plain_file && rel.ends_with(".md") {
                self.read_content(rel)?;
            } else if !abs.exists() && rel.ends_with(".md") && self.content.remove(rel).is_some() {
                // A deleted page.
            } else {
                // A folder, an asset, or something renamed: re-walk to be exact.
                rescan = true;
            }
        }
        if rescan {
            self.rescan_content()?;
        }
        Ok(())
    }

    /// Takes changed files outside `content/` in place when each is a static file the site
    /// already copies and is still a plain file: only its copy changes, since no page and no
    /// site-wide output reads a static file's bytes. Returns false when anything else changed
    /// there (a template, the config, a static file added, removed or made a symlink): then
    /// the rebuild must be a full one.
    pub(super) fn apply_static_changes(&mut self, paths: &[String]) -> Result<bool, LoadError> {
        let others: Vec<&String> = paths
            .iter()
            .filter(|p| !p.starts_with("content/"))
            .collect();
        if others.is_empty() {
            return Ok(true);
        }
        let root = self.opts.root.clone();
        let Some(setup) = self.setup.as_mut().and_then(Arc::get_mut) else {
            return Ok(false);
        };
        for p in others {
            let abs = root.join(p);
            let plain = std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file());
            let known = setup.theme.statics.iter_mut().find(|f| f.source == *p);
            let (Some(file), true) = (known, plain) else {
                return Ok(false);
            };
            let bytes =
                std::fs::read(&abs).map_err(|source| LoadError::Read { path: abs, source })?;
            file.bytes = FileBytes::plain(bytes);
        }
        Ok(true)
    }
}
