//! A field may be declared by its kind alone: `year: integer` is `year: { kind: integer }`,
//! and `of: string` is `of: { kind: string }`.
//!
//! The mapping form is read by the derived deserializer (`#[serde(remote = "Self")]` makes it
//! an inherent `FieldDef::deserialize`), through the same `MapAccess`, so that the keys
//! `serde_ignored` reports as unknown inside it are still found.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{FieldDef, SearchConfig};

impl<'de> Deserialize<'de> for FieldDef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldDefVisitor)
    }
}

struct FieldDefVisitor;

/// `search: true` and `search: false` are short for `search: { enabled: … }`.
impl<'de> Deserialize<'de> for SearchConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SearchVisitor)
    }
}

struct SearchVisitor;

impl<'de> Visitor<'de> for SearchVisitor {
    type Value = SearchConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`true`, `false` or a mapping such as `{ facets: [country] }`")
    }

    fn visit_bool<E: de::Error>(self, enabled: bool) -> Result<SearchConfig, E> {
        Ok(SearchConfig {
            enabled,
            facets: Vec::new(),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SearchConfig, A::Error> {
        SearchConfig::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

impl<'de> Visitor<'de> for FieldDefVisitor {
    type Value = FieldDef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field kind (`string`, `integer`, `reference`, …) or a mapping such as `{ kind: string, required: true }`")
    }

    fn visit_str<E: de::Error>(self, kind: &str) -> Result<FieldDef, E> {
        Ok(FieldDef {
            kind: super::FieldKind::default(),
            kind_name: Some(kind.to_string()),
            required: false,
            label: None,
            values: Vec::new(),
            of: None,
            to: None,
            certainty: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldDef, A::Error> {
        FieldDef::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}
