//! The floor for one page: pulldown-cmark alone, with majors' parser options, from a Markdown
//! file to an HTML string (front matter skipped). `bench/adversarial.sh` compares majors'
//! build of a site holding that page with this.
//!
//! Usage: `cargo run --release --example pulldown_alone -- FILE.md`; prints the seconds taken.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pulldown_alone FILE.md");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let body = match text
        .strip_prefix("---\n")
        .and_then(|r| r.find("\n---\n").map(|i| &r[i + 5..]))
    {
        Some(b) => b,
        None => text.as_str(),
    };
    let mut html = String::with_capacity(body.len() * 3 / 2);
    let parser = pulldown_cmark::Parser::new_ext(body, majors::parser_options(true));
    pulldown_cmark::html::push_html(&mut html, parser);
    println!("{:.3}", start.elapsed().as_secs_f64());
    std::hint::black_box(html);
}
