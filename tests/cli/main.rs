//! Integration tests: drive the real `majors` binary on fixture sites copied to temp dirs.

mod build;
mod check;
mod content_checks;
mod diff;
mod fiscal_years;
mod history;
mod incremental;
mod keys;
mod knowledge_base;
mod links;
mod marks;
mod navigation;
mod oracle;
mod output;
mod properties;
mod property_tokens;
mod scaffold;
mod serve;
mod support;
mod themes;
