//! The second half of a rebuild: where the files go, the site-wide outputs, the page
//! templates (only those whose inputs changed), and what the next rebuild keeps.

use super::invalidate::Fingerprints;
use super::markdown::markdown_env;
use super::render::Resolved;
use super::sink::Sink;
use super::*;
use crate::site::outputs;

/// One page's template render: output path, what to keep of it or the problem, and what it
/// read.
type PageRender = (String, Result<FileBytes, Diagnostic>, RenderDeps);

impl Rebuilder {
    /// Renders the pages that must be, hands every file to the sink, and keeps what the next
    /// rebuild reuses. Returns (page count, pages rendered, in-memory files, stage).
    pub(super) fn emit(
        &mut self,
        setup: &Setup,
        resolved: Resolved,
        diags: &mut Vec<Diagnostic>,
        out_dir: &std::path::Path,
    ) -> Result<Rendered, OutputError> {
        let Resolved {
            site,
            metas,
            html,
            fingerprints,
            ctx,
            specials,
            links,
            mut templates,
            template_diags,
        } = resolved;
        templates.install_site(&site);
        if let Some((prev, name)) = &setup.previous {
            diags.extend(crate::check::against::compare(
                prev,
                &site,
                &self.sources,
                name,
            ));
        }
        let sink = self.sink(diags.iter().any(Diagnostic::is_error), out_dir)?;
        // A staged build writes the site-wide outputs first (they need only the site data);
        // `serve` leaves them to `site_files`; `check` and failed builds need none.
        if sink.writes() {
            let texts: Vec<&str> = metas.iter().map(|m| m.text.as_str()).collect();
            outputs::emit_all(&site, &texts, &|path, bytes| sink.put(&path, &bytes));
        }
        // The outputs were the last users of the pages' plain text.
        drop(metas);
        let templates_ok = template_diags.is_empty();
        let clock = Instant::now();
        let results = if templates_ok {
            let dirty = self.pages_to_render(&site, &fingerprints);
            let lookups = (&site.pages[..], &*site.index);
            let env = markdown_env(
                setup,
                lookups,
                &self.highlighter,
                &specials,
                &templates,
                &links,
            );
            self.render_pages(&env, &templates, &site, html, &dirty, &sink)
        } else {
            Vec::new()
        };
        tracing::debug!(took = ?clock.elapsed(), "page templates");
        let rendered = results.iter().filter(|r| r.is_some()).count();
        let (outputs, deps) = self.collect_renders(results, diags);
        let mut files = match sink.keeps() {
            true => outputs.clone(),
            false => Files::new(),
        };
        if templates_ok && self.opts.mode.defers_site_files() {
            self.pending_site = Some(Arc::clone(&site));
        } else if templates_ok {
            let theme = &setup.theme;
            let (assets, css) = (&self.asset_bytes, &self.syntax_css);
            light_site_files(
                &templates,
                &self.sources,
                theme,
                assets,
                css,
                &mut files,
                diags,
            );
        }
        if self.opts.mode.incremental() && !diags.iter().any(Diagnostic::is_error) {
            self.keep_last_good(&site, ctx, fingerprints, deps, outputs);
        }
        self.templates = Some((templates, template_diags));
        Ok((site.pages.len(), rendered, files, sink.finish()?))
    }

    /// Keeps what the next rebuild compares with and reuses.
    fn keep_last_good(
        &mut self,
        site: &SiteData,
        ctx: u64,
        fp: Fingerprints,
        deps: Vec<Arc<RenderDeps>>,
        outputs: Files,
    ) {
        // The same pages list every type in the same order.
        let known = self
            .last
            .as_ref()
            .filter(|l| Arc::ptr_eq(&l.pages, &site.pages));
        let type_orders = type_orders(site, &deps, known.map(|l| &l.type_orders));
        self.last = Some(LastGood {
            pages: Arc::clone(&site.pages),
            backlinks: Arc::clone(&site.backlinks),
            updated: Arc::clone(&site.updated),
            ctx,
            fp,
            type_orders,
            deps,
            outputs,
        });
    }

    /// Where this build's files go: memory for `serve`, the stage for a `build` without
    /// errors, nowhere otherwise.
    fn sink(&self, failed: bool, out_dir: &std::path::Path) -> Result<Sink, OutputError> {
        Ok(match self.opts.mode {
            Mode::Serve => Sink::Memory {
                pack: self.opts.mode.packs(),
            },
            Mode::Build if !failed => Sink::stage(Staging::begin(out_dir)?),
            Mode::Build | Mode::Check => Sink::Discard,
        })
    }

    /// Runs the template of each page marked in `dirty` (in parallel). Each page's Markdown
    /// HTML is moved into its render and dropped after it, so a full build does not hold
    /// every page's Markdown HTML and its final page at once.
    fn render_pages(
        &self,
        env: &MarkdownEnv<'_>,
        templates: &Templates,
        site: &Arc<SiteData>,
        html: Vec<Option<FileBytes>>,
        dirty: &[bool],
        sink: &Sink,
    ) -> Vec<Option<PageRender>> {
        let (sources, passes) = (&self.sources, &self.markdown_passes);
        html.into_par_iter()
            .enumerate()
            .map(|(i, html)| {
                if !dirty[i] {
                    return None;
                }
                let p = &site.pages[i];
                let content = match html {
                    Some(h) => {
                        String::from_utf8(h.into_vec()).expect("invariant: made from a String")
                    }
                    None if p.origin == Origin::File => {
                        passes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let text = &sources.get(p.file).text;
                        render_markdown(env, PageId(i as u32), text, p.body_range(text)).html
                    }
                    None => String::new(),
                };
                let id = PageId(i as u32);
                let (result, deps) =
                    record_deps(|| templates.render_page(site, id, content, sources));
                let path = p.url.output_file();
                let result = result.map(|html| sink.take(&path, html.into_bytes()));
                Some((path, result, deps))
            })
            .collect()
    }

    /// Every page's output and what its template read: this build's renders, the last good
    /// build's for pages not rendered again. Template errors are reported once per message
    /// and place, with the number of pages they broke.
    fn collect_renders(
        &self,
        results: Vec<Option<PageRender>>,
        diags: &mut Vec<Diagnostic>,
    ) -> (Files, Vec<Arc<RenderDeps>>) {
        // Pages not rendered again keep the last good build's output and read log (there is
        // none only when the templates failed to compile, and then this build fails anyway).
        let last = self.last.as_ref().filter(|l| l.deps.len() == results.len());
        let mut outputs = last.map(|l| l.outputs.clone()).unwrap_or_default();
        let mut deps_all = Vec::with_capacity(results.len());
        // A page rendered again may have moved: its old file goes (all of them before any
        // new one comes, as two pages may have swapped their URLs).
        if let Some(last) = last {
            for (i, r) in results.iter().enumerate() {
                let old = last.pages[i].url.output_file();
                if r.as_ref().is_some_and(|(path, _, _)| *path != old) {
                    outputs.remove(&old);
                }
            }
        }
        let mut errors: BTreeMap<(String, String), (Diagnostic, usize)> = BTreeMap::new();
        for (i, r) in results.into_iter().enumerate() {
            let Some((path, result, deps)) = r else {
                if let Some(last) = last {
                    deps_all.push(Arc::clone(&last.deps[i]));
                }
                continue;
            };
            let bytes = result.unwrap_or_else(|d| {
                let key = (d.message.clone(), format!("{:?}", d.span));
                errors.entry(key).or_insert((d, 0)).1 += 1;
                FileBytes::plain(Vec::new())
            });
            outputs.insert(path, bytes);
            deps_all.push(Arc::new(deps));
        }
        for (_, (mut d, count)) in errors {
            if count > 1 {
                d.message = format!("{} (in {count} pages)", d.message);
            }
            diags.push(d);
        }
        (outputs, deps_all)
    }
}

/// For each type some template listed: a hash of its pages in their listed order. A list
/// read by a template changes exactly when this does (what the template then read of each
/// page is recorded page by page).
/// `known`: the hashes of the same pages' lists, when they are known.
pub(super) fn type_orders(
    site: &SiteData,
    deps: &[Arc<RenderDeps>],
    known: Option<&HashMap<String, u64>>,
) -> HashMap<String, u64> {
    let listed: std::collections::BTreeSet<&str> = deps
        .iter()
        .flat_map(|d| d.types.iter().map(String::as_str))
        .collect();
    listed
        .into_iter()
        .map(|t| {
            let hash = known.and_then(|k| k.get(t).copied());
            (t.to_string(), hash.unwrap_or_else(|| type_order(site, t)))
        })
        .collect()
}

/// A hash of the pages of `type_name` in their listed order.
pub(super) fn type_order(site: &SiteData, type_name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    site.type_ids(type_name).hash(&mut h);
    h.finish()
}
