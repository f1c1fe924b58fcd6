//! The body of a rebuild: front matter, graph, Markdown, site data, page templates, and
//! where the files go (staged on disk, kept in memory, or discarded).

use super::invalidate::{context_hash, same_front};
use super::*;

impl Rebuilder {
    /// Parses, resolves and renders. Returns (page count, pages rendered, files).
    pub(super) fn render(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        out_dir: &std::path::Path,
    ) -> Result<Rendered, OutputError> {
        let mut clock = Instant::now();
        let (config, theme, dates) = self.setup.as_ref().expect("invariant: setup loaded");
        diags.extend(self.walk_problems.iter().cloned());
        for id in self.content.values() {
            if let Some(d) = self.read_problems.get(id) {
                diags.extend(d.iter().cloned());
            }
        }
        let sources = &self.sources;
        // Parse front matter (in parallel), reusing pages whose file did not change.
        let generation = &self.generation;
        let mut cached = std::mem::take(&mut self.parsed);
        // The last build's pages, index and references: reused below when no front matter
        // changed. Taken now, so a rebuild that stops early leaves none to misuse.
        let last_site = self.last_site.take();
        let files: Vec<(&str, FileId, u64)> = self
            .content
            .iter()
            .map(|(r, id)| (r.as_str(), *id, generation.get(id).copied().unwrap_or(0)))
            .collect();
        let parsed: Vec<Option<(Page, Vec<Diagnostic>)>> = files
            .par_iter()
            .map(|&(rel, id, gen)| match cached.get(&id) {
                Some((g, _, _)) if *g == gen => None,
                _ => Some(parse_page(config, rel, id, sources)),
            })
            .collect();
        let mut same_structure = last_site.is_some();
        let mut body_ranges: HashMap<FileId, std::ops::Range<usize>> = HashMap::new();
        let mut entries = Vec::with_capacity(parsed.len());
        for (&(rel, id, gen), new) in files.iter().zip(parsed) {
            let old = cached.remove(&id);
            let (page, d) = match (new, old) {
                (Some((page, d)), old) => {
                    same_structure &= old.is_some_and(|(_, o, _)| same_front(&o, &page));
                    body_ranges.insert(id, page.body_range.clone());
                    (page, d)
                }
                (None, Some((_, page, d))) => (page, d),
                (None, None) => {
                    same_structure = false;
                    parse_page(config, rel, id, sources)
                }
            };
            diags.extend(d.iter().cloned());
            entries.push((id, gen, page, d));
        }
        // A file left in the cache was deleted.
        same_structure &= cached.is_empty();
        drop(cached);
        // A one-shot build has no next build to reuse the parse in.
        self.parsed = if self.one_shot {
            HashMap::new()
        } else {
            entries
                .iter()
                .map(|(id, gen, page, d)| (*id, (*gen, page.clone(), d.clone())))
                .collect()
        };
        let graph_start = diags.len();
        let fast_path = same_structure && last_site.is_some();
        let (pages, index, refs) = match last_site.filter(|_| same_structure) {
            // Only Markdown bodies changed: URLs, sections, ids and references are as before.
            Some(last) => {
                let mut pages = last.pages.clone();
                for p in pages.iter_mut().filter(|p| p.origin == Origin::File) {
                    if let Some(r) = body_ranges.get(&p.file) {
                        p.body_range = r.clone();
                    }
                }
                diags.extend(self.graph_diags.iter().cloned());
                (pages, Arc::clone(&last.index), Arc::clone(&last.refs))
            }
            None => {
                let fresh = entries.into_iter().map(|(_, _, page, _)| page).collect();
                let pages = finish_pages(
                    config,
                    fresh,
                    sources,
                    ContentOptions {
                        drafts: self.opts.drafts,
                    },
                    diags,
                );
                let index = PageIndex::build(&pages);
                let (refs, d) = resolve_refs(&pages, &index, sources);
                diags.extend(d);
                self.graph_diags = diags[graph_start..].to_vec();
                (pages, Arc::new(index), Arc::new(refs))
            }
        };
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "front matter and graph");

        // Markdown: reuse metadata of unchanged files while the link context is the same.
        let mut known_files: HashSet<String> = self
            .assets
            .iter()
            .map(|a| format!("/{}", a.output))
            .collect();
        known_files.extend(theme.statics.iter().map(|f| format!("/{}", f.output)));
        known_files.extend(
            crate::site::pipeline::SPECIAL_FILES
                .iter()
                .map(|s| format!("/{s}")),
        );
        let assets_key = {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for a in &self.assets {
                a.output.hash(&mut h);
            }
            h.finish()
        };
        let text_links = match self.text_links.take() {
            Some((key, d)) if fast_path && key == assets_key => d,
            _ => crate::check::text_links::check_text_links(
                config,
                &pages,
                &index,
                &known_files,
                sources,
            ),
        };
        diags.extend(text_links.iter().cloned());
        self.text_links = Some((assets_key, text_links));
        // Templates compile once per full rebuild; content edits reuse them. (Before the
        // Markdown: headings must not take the ids the templates write.)
        let (mut templates, template_diags) = match self.templates.take() {
            Some(t) => t,
            None => Templates::compile(sources, &theme.templates, self.opts.debug_templates),
        };
        let glossary = glossary_terms(config, &pages);
        let specials = Specials::new(&glossary);
        let ctx = context_hash(
            config,
            &pages,
            &glossary,
            &known_files,
            templates.literal_ids(),
        );
        // Kept across rebuilds: loading syntect's syntaxes costs ~20 ms.
        let highlighter = &*self.highlighter;
        let env = MarkdownEnv {
            pages: &pages,
            index: &index,
            highlighter,
            specials: &specials,
            reserved_ids: templates.literal_ids(),
            allow_raw_html: config.markdown.allow_raw_html,
            smart_punctuation: config.markdown.smart_punctuation,
            known_files: &known_files,
            // Each page's Markdown is parsed once: its HTML is kept for its template.
            html: true,
        };
        let gen_of = |p: &Page| self.generation.get(&p.file).copied().unwrap_or(0);
        let md_cache = &self.md;
        let passes = &self.markdown_passes;
        let pack_html = self.pack;
        let one_shot = self.one_shot;
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: context");
        let md_results: Vec<(Arc<MdMeta>, Option<FileBytes>)> = (0..pages.len())
            .into_par_iter()
            .map(|i| {
                let p = &pages[i];
                if p.origin != Origin::File {
                    return (Arc::new(MdMeta::default()), None);
                }
                match md_cache.get(&p.file) {
                    Some((g, c, meta)) if *g == gen_of(p) && *c == ctx => (Arc::clone(meta), None),
                    _ => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let r = render_markdown(
                            &env,
                            PageId(i as u32),
                            &sources.get(p.file).text,
                            p.body_range.clone(),
                        );
                        let (mut meta, html) = MdMeta::split(r);
                        if !one_shot {
                            // FxHash: several times SipHash's speed over a long page.
                            let mut h = rustc_hash::FxHasher::default();
                            html.hash(&mut h);
                            meta.html_hash = h.finish();
                        }
                        // Kept until the page's template runs. `serve` packs it (its peak is
                        // its first build); `build` does not: at 10,000 pages packing saved
                        // 40 MiB and cost 0.3 s of CPU.
                        (
                            Arc::new(meta),
                            Some(FileBytes::new(html.into_bytes(), pack_html)),
                        )
                    }
                }
            })
            .collect();
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: render");
        let mut html_now: Vec<Option<FileBytes>> = vec![None; pages.len()];
        let mut metas = Vec::with_capacity(pages.len());
        let mut new_md = HashMap::new();
        for (i, (meta, html)) in md_results.into_iter().enumerate() {
            if let Some(h) = html {
                html_now[i] = Some(h);
            }
            if pages[i].origin == Origin::File && !self.one_shot {
                new_md.insert(pages[i].file, (gen_of(&pages[i]), ctx, Arc::clone(&meta)));
            }
            metas.push(meta);
        }
        self.md = new_md;

        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: collect");
        let anchors: Vec<&HashSet<String>> = metas.iter().map(|m| &m.anchors).collect();
        let mut prose = Vec::new();
        for (i, m) in metas.iter().enumerate() {
            diags.extend(m.diags.iter().cloned());
            prose.extend(m.links.iter().map(|l| ProseLink {
                from: PageId(i as u32),
                to: l.target,
                anchor: l.anchor.clone(),
            }));
        }
        let ref_anchors = refs.iter().flatten().filter_map(|r| {
            r.anchor
                .as_deref()
                .map(|a| (r.target, a, AnchorSite::Ref(r)))
        });
        let link_anchors = metas.iter().flat_map(|m| m.links.iter()).filter_map(|l| {
            l.anchor
                .as_deref()
                .map(|a| (l.target, a, AnchorSite::Span(&l.span)))
        });
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "md: links");
        diags.extend(check_anchors(
            ref_anchors.chain(link_anchors),
            &anchors,
            &pages,
            sources,
        ));
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "markdown");
        let backlinks = build_backlinks(config, &pages, &refs, &prose);
        diags.extend(check_orphans(&pages, &backlinks));
        diags.extend(check_home(&pages));

        let summaries: Vec<String> = pages
            .iter()
            .zip(&metas)
            .map(|(p, m)| {
                p.front
                    .description
                    .clone()
                    .unwrap_or_else(|| summarize(&m.text))
            })
            .collect();
        let updated: Vec<Option<String>> = pages
            .iter()
            .map(|p| {
                let from_git = || match p.origin {
                    Origin::File => dates.get(&p.rel_path).cloned(),
                    Origin::Generated { .. } => None,
                };
                p.front
                    .updated
                    .clone()
                    .or_else(|| p.front.date.clone())
                    .or_else(from_git)
            })
            .collect();
        // A one-shot build has no next build to compare with.
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "backlinks and summaries");
        let (fp_self, fp_view) = if self.one_shot {
            (Vec::new(), Vec::new())
        } else {
            Self::fingerprints(
                &self.generation,
                &mut self.view_hashes,
                &pages,
                &metas,
                &summaries,
                &backlinks,
                &refs,
                &updated,
            )
        };
        let texts: Vec<&str> = metas.iter().map(|m| m.text.as_str()).collect();

        let templates_ok = template_diags.is_empty();
        // Output paths change only with the pages' URLs (not on the fast path) or the assets.
        let collisions = match self.collisions.take() {
            Some((key, d)) if fast_path && key == assets_key => d,
            _ => output_collisions(config, &pages, theme, &self.assets, &templates),
        };
        diags.extend(collisions.iter().cloned());
        self.collisions = Some((assets_key, collisions));
        diags.extend(template_diags.iter().cloned());
        let search_texts = texts;
        let site = Arc::new(SiteData {
            config: config.clone(),
            pages,
            refs,
            backlinks,
            summaries,
            headings: metas.iter().map(|m| Arc::clone(&m.headings)).collect(),
            updated,
            index,
        });
        templates.install_site(&site);
        if !self.one_shot {
            self.last_site = Some(Arc::clone(&site));
        }
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "site data");
        let failed = diags.iter().any(Diagnostic::is_error);
        let sink = if !self.one_shot {
            Sink::Memory
        } else if self.opts.write && !failed {
            Sink::Stage(Box::new(Staging::begin(out_dir)?))
        } else if self.opts.check_only || failed {
            Sink::Discard
        } else {
            Sink::Memory
        };
        let write_error: std::sync::Mutex<Option<OutputError>> = std::sync::Mutex::new(None);
        // A staged build writes each file as it is made and keeps no copy.
        let put = |stage: &Staging, path: &str, bytes: &[u8]| {
            if let Err(e) = stage.put(path, bytes) {
                if let Ok(mut slot) = write_error.lock() {
                    slot.get_or_insert(e);
                }
            }
        };

        // A staged build writes, one after the other so their memory does not add up, the
        // summary files (they need only the site data), the search index, then the pages.
        // `serve` computes the site-wide files later, on another thread; `check` and failed
        // builds need no index.
        let build_search = !self.defer_site_files && config.search.enabled;
        let search = match &sink {
            Sink::Stage(stage) => {
                for (path, bytes) in heavy_site_files(&site, BTreeMap::new(), false) {
                    put(stage, &path, &bytes.bytes());
                }
                if build_search {
                    crate::search::emit_search_index(&site, &search_texts, &|path, bytes| {
                        put(stage, &path, &bytes);
                    });
                }
                BTreeMap::new()
            }
            Sink::Memory if build_search => {
                crate::search::build_search_index(&site, &search_texts, self.pack)
            }
            Sink::Memory | Sink::Discard => BTreeMap::new(),
        };
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "search index");
        // The index was the last user of the pages' plain text.
        drop(search_texts);
        drop(metas);

        let dirty = self.pages_to_render(&site, &fp_self, &fp_view);
        let env = MarkdownEnv {
            pages: &site.pages,
            index: &site.index,
            highlighter,
            specials: &specials,
            reserved_ids: templates.literal_ids(),
            allow_raw_html: config.markdown.allow_raw_html,
            smart_punctuation: config.markdown.smart_punctuation,
            known_files: &known_files,
            html: true,
        };
        // Each page's HTML is moved into its render and dropped after it, so a full build does
        // not hold every page's Markdown HTML and its final page at once.
        let pack = self.pack;
        let passes = &self.markdown_passes;
        let results: Vec<(usize, Option<PageRender>)> = html_now
            .into_par_iter()
            .enumerate()
            .map(|(i, html)| {
                if !templates_ok || !dirty[i] {
                    return (i, None);
                }
                let p = &site.pages[i];
                let content = match html {
                    Some(h) => {
                        String::from_utf8(h.into_vec()).expect("invariant: made from a String")
                    }
                    None if p.origin == Origin::File => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        render_markdown(
                            &env,
                            PageId(i as u32),
                            &sources.get(p.file).text,
                            p.body_range.clone(),
                        )
                        .html
                    }
                    None => String::new(),
                };
                let (result, deps) = record_deps(|| {
                    templates.render_page(&site, PageId(i as u32), content, sources)
                });
                let path = p.url.output_file();
                let result = match (&sink, result) {
                    (Sink::Stage(stage), Ok(html)) => {
                        put(stage, &path, html.as_bytes());
                        Ok(FileBytes::plain(Vec::new()))
                    }
                    (Sink::Discard, Ok(_)) => Ok(FileBytes::plain(Vec::new())),
                    (Sink::Memory, Ok(html)) => Ok(FileBytes::new(html.into_bytes(), pack)),
                    (_, Err(d)) => Err(d),
                };
                (i, Some((path, result, deps)))
            })
            .collect();
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "page templates");
        let rendered = results.iter().filter(|(_, r)| r.is_some()).count();
        let mut outputs: Vec<(String, FileBytes)> = Vec::with_capacity(site.pages.len());
        let mut deps_all = Vec::with_capacity(site.pages.len());
        let mut template_errors: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
        for (i, r) in results {
            match r {
                Some((path, Ok(bytes), deps)) => {
                    outputs.push((path, bytes));
                    deps_all.push(deps);
                }
                Some((path, Err(d), deps)) => {
                    let key = (d.message.clone(), format!("{:?}", d.span));
                    template_errors.entry(key).or_insert((d, 0)).1 += 1;
                    outputs.push((path, FileBytes::plain(Vec::new())));
                    deps_all.push(deps);
                }
                // Not re-rendered: reuse the last good output (absent only when templates
                // failed to compile, and then this build fails anyway).
                None => {
                    if let Some(last) = &self.last {
                        outputs.push(last.outputs[i].clone());
                        deps_all.push(last.deps[i].clone());
                    }
                }
            }
        }
        for (_, (mut d, count)) in template_errors {
            if count > 1 {
                d.message = format!("{} (in {count} pages)", d.message);
            }
            diags.push(d);
        }
        if let Some(e) = write_error.into_inner().ok().flatten() {
            if let Sink::Stage(stage) = sink {
                stage.abort();
            }
            return Err(e);
        }
        let mut files: BTreeMap<String, FileBytes> = match sink {
            Sink::Memory => outputs.iter().cloned().collect(),
            Sink::Stage(_) | Sink::Discard => BTreeMap::new(),
        };
        if templates_ok && self.defer_site_files {
            self.pending_site = Some(Arc::clone(&site));
        } else if templates_ok {
            let t = std::mem::replace(&mut clock, Instant::now());
            tracing::debug!(took = ?t.elapsed(), "templates");
            light_site_files(
                &templates,
                sources,
                theme,
                &self.asset_bytes,
                &self.syntax_css,
                &mut files,
                diags,
            );
            if !matches!(sink, Sink::Stage(_)) {
                files.extend(heavy_site_files(&site, search, self.pack));
            }
        }
        let t = std::mem::replace(&mut clock, Instant::now());
        tracing::debug!(took = ?t.elapsed(), "site files");
        if !diags.iter().any(Diagnostic::is_error) {
            self.last = Some(LastGood {
                keys: site.pages.iter().map(|p| p.key.clone()).collect(),
                fp_self,
                fp_view,
                types: site.pages.iter().map(|p| p.type_name.clone()).collect(),
                deps: deps_all,
                outputs,
            });
        }
        let count = site.pages.len();
        self.templates = Some((templates, template_diags));
        let staging = match sink {
            Sink::Stage(stage) => Some(*stage),
            Sink::Memory | Sink::Discard => None,
        };
        Ok((count, rendered, files, staging))
    }
}
