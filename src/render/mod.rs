//! Rendering: Markdown to HTML, code highlighting, and templates with their view objects.

pub mod highlight;
pub mod markdown;
pub mod marks;
pub mod templates;
pub mod views;
