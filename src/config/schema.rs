//! The declared schema of a site: content types and their fields, folder defaults, declared
//! tables and generated pages (the parts of `site.yaml` that describe the content).

use indexmap::IndexMap;
use serde::Deserialize;

/// A table: one cell per page of the `cells` type, placed by two of its fields. An axis
/// that is a reference field has a row (column) per page of the type it refers to; an enum
/// field, one per declared value; any other field, one per value the pages hold, sorted.
#[derive(Debug, Clone, Deserialize)]
pub struct TableDef {
    /// The type whose pages are the cells (required).
    #[serde(default)]
    pub cells: String,
    /// The cells' field that names the row (required).
    #[serde(default)]
    pub rows: String,
    /// The cells' field that names the column (required).
    #[serde(default)]
    pub columns: String,
    /// A title for the table (default: its name).
    #[serde(default)]
    pub title: Option<String>,
}

/// A folder whose pages default to a type.
#[derive(Debug, Clone, Deserialize)]
pub struct FolderDefault {
    /// Folder under `content/`, `/`-separated (required).
    #[serde(default)]
    pub folder: String,
    /// Type name (required).
    #[serde(rename = "type", default)]
    pub type_name: String,
}

/// A declared content type.
#[derive(Debug, Clone, Deserialize)]
pub struct TypeDef {
    /// Singular label for display.
    #[serde(default)]
    pub label: Option<String>,
    /// Plural label for display.
    #[serde(default)]
    pub plural: Option<String>,
    /// Template for pages of this type (default `<type>.html` if the theme has it, else `page.html`).
    #[serde(default)]
    pub template: Option<String>,
    /// Fields in declaration order.
    #[serde(default)]
    pub fields: IndexMap<String, FieldDef>,
    /// Fields whose values together identify a page of the type (`unique: [country,
    /// fiscal_year]`): two pages with the same values are an error. A page that lacks one of
    /// them has no key.
    #[serde(default)]
    pub unique: Vec<String>,
}

/// The kind of a field value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldKind {
    /// One-line text (also the placeholder until validation has read `kind:`).
    #[default]
    String,
    /// Longer text (Markdown inline allowed).
    Text,
    /// Whole number.
    Integer,
    /// Any number.
    Number,
    /// true / false.
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// One of `values`.
    Enum,
    /// A list of `of`.
    List,
    /// The id of another page, optionally with `#anchor`.
    Reference,
    /// A reference that must name an anchor (a paragraph of a source).
    Citation,
}

impl FieldKind {
    /// Every kind, as written after `kind:`.
    pub const ALL: [(&'static str, FieldKind); 10] = [
        ("string", FieldKind::String),
        ("text", FieldKind::Text),
        ("integer", FieldKind::Integer),
        ("number", FieldKind::Number),
        ("bool", FieldKind::Bool),
        ("date", FieldKind::Date),
        ("enum", FieldKind::Enum),
        ("list", FieldKind::List),
        ("reference", FieldKind::Reference),
        ("citation", FieldKind::Citation),
    ];

    /// The kind written `name` in site.yaml.
    pub fn from_name(name: &str) -> Option<FieldKind> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// A declared field: a mapping (`{ kind: integer, required: true }`), or only its kind
/// (`integer`), as a field or as the items of a list (`of: string`); see [`shorthand`].
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self")]
pub struct FieldDef {
    /// Its kind, read from `kind:` by validation, which reports a missing or unknown one
    /// with every other problem (serde would stop at the first).
    #[serde(skip)]
    pub kind: FieldKind,
    /// `kind:` as written.
    #[serde(rename = "kind", default)]
    pub(super) kind_name: Option<String>,
    /// Must every page of the type set it?
    #[serde(default)]
    pub required: bool,
    /// Display label.
    #[serde(default)]
    pub label: Option<String>,
    /// Allowed values (enum).
    #[serde(default)]
    pub values: Vec<String>,
    /// What a reader sees for each value (enum; `not-met: not met`); a value without one shows
    /// as written, its hyphens as spaces.
    #[serde(default)]
    pub labels: IndexMap<String, String>,
    /// Item definition (list).
    #[serde(default)]
    pub of: Option<Box<FieldDef>>,
    /// Target type (reference, citation); any page when absent.
    #[serde(default)]
    pub to: Option<String>,
    /// For an enum field whose values are marks' `value`s: what it qualifies, `page` (the page
    /// as a whole) or the name of a field of the same type. Templates then show it as that
    /// mark, beside what it qualifies, instead of as a field of its own.
    #[serde(default)]
    pub certainty: Option<String>,
    /// Required only on pages whose other fields have these values (`required_when: { status:
    /// waived }`; a list of values means any of them; every field named must match).
    #[serde(default, deserialize_with = "super::shorthand::when_values")]
    pub required_when: IndexMap<String, Vec<String>>,
}

impl FieldDef {
    /// What a reader sees for the enum value `v`: its declared label, else `v` with its
    /// hyphens as spaces.
    pub fn value_label(&self, v: &str) -> String {
        self.labels
            .get(v)
            .cloned()
            .unwrap_or_else(|| v.replace('-', " "))
    }
}

/// Pages generated from every page of a type.
#[derive(Debug, Clone, Deserialize)]
pub struct GeneratedPages {
    /// The type whose pages get one generated page each (required, as are the others).
    #[serde(rename = "type", default)]
    pub type_name: String,
    /// Appended to the source page's URL (`dossier` -> `/countries/peru/dossier/`).
    #[serde(default)]
    pub path: String,
    /// Template to render it with.
    #[serde(default)]
    pub template: String,
    /// Title pattern; `{title}` is the source page's title.
    #[serde(default)]
    pub title: String,
}
