//! Live reload: the messages sent to browsers and the script that receives them.
//!
//! The watcher never talks to browsers directly: after each rebuild it publishes one
//! [`ReloadMessage`] on a broadcast channel, and every websocket forwards it. A failed rebuild
//! publishes the diagnostics (the overlay) instead of a reload.

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ReloadMessage {
    /// Reload the page (keeping the scroll position).
    Reload,
    /// Swap these stylesheets without reloading.
    Css {
        /// URL paths of the changed stylesheets.
        paths: Vec<String>,
    },
    /// The last rebuild failed: show these diagnostics.
    Errors {
        /// `--format json` diagnostics.
        diagnostics: serde_json::Value,
        /// Whether an earlier build without errors is being served meanwhile.
        served_good: bool,
    },
}

impl ReloadMessage {
    /// The JSON text sent over the websocket.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("invariant: reload messages serialize")
    }
}

/// URL of the websocket endpoint.
pub const WS_PATH: &str = "/__majors/livereload";
/// URL of the client script.
pub const SCRIPT_PATH: &str = "/__majors/livereload.js";

/// The tag injected before `</body>` of every served HTML page (never in `majors build`).
pub fn script_tag() -> String {
    format!("<script src=\"{SCRIPT_PATH}\" defer></script>")
}

/// Inserts the reload script into an HTML page.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = script_tag();
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => {
            let mut out = String::with_capacity(text.len() + tag.len());
            out.push_str(&text[..i]);
            out.push_str(&tag);
            out.push_str(&text[i..]);
            out.into_bytes()
        }
        None => {
            let mut out = html.to_vec();
            out.extend_from_slice(tag.as_bytes());
            out
        }
    }
}

/// The browser side: reconnecting websocket, scroll-keeping reload, stylesheet swap, error overlay.
pub const CLIENT_JS: &str = include_str!("livereload.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("<html><body><p>x</p>{}</body></html>", script_tag())
        );
    }

    #[test]
    fn messages_are_tagged_json() {
        assert_eq!(ReloadMessage::Reload.to_json(), r#"{"type":"reload"}"#);
        assert_eq!(
            ReloadMessage::Css {
                paths: vec!["/style.css".into()]
            }
            .to_json(),
            r#"{"type":"css","paths":["/style.css"]}"#
        );
    }
}
