//! Integration tests: drive the real `majors` binary on fixture sites copied to temp dirs.

mod build;
mod check;
mod incremental;
mod knowledge_base;
mod output;
mod serve;
mod support;
