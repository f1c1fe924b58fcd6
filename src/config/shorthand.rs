//! A field may be declared by its kind alone: `year: integer` is `year: { kind: integer }`,
//! and `of: string` is `of: { kind: string }`.
//!
//! The mapping form is read by the derived deserializer (`#[serde(remote = "Self")]` makes it
//! an inherent `FieldDef::deserialize`), through the same `MapAccess`, so that the keys
//! `serde_ignored` reports as unknown inside it are still found.

use std::fmt;

use indexmap::IndexMap;
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
            labels: IndexMap::new(),
            of: None,
            to: None,
            certainty: None,
            required_when: IndexMap::new(),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldDef, A::Error> {
        FieldDef::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

/// `required_when:`: each field's value as a string, or a list of them (`{ status: waived }`,
/// `{ status: [waived, failed] }`, `{ listed: true }`).
pub(super) fn when_values<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<IndexMap<String, Vec<String>>, D::Error> {
    let raw: IndexMap<String, serde_norway::Value> = IndexMap::deserialize(deserializer)?;
    let scalar = |v: &serde_norway::Value| -> Result<String, D::Error> {
        match v {
            serde_norway::Value::String(s) => Ok(s.clone()),
            serde_norway::Value::Bool(b) => Ok(b.to_string()),
            serde_norway::Value::Number(n) => Ok(n.to_string()),
            _ => Err(de::Error::custom(
                "a `required_when` value is a string, a number, true/false, or a list of them",
            )),
        }
    };
    raw.into_iter()
        .map(|(field, v)| {
            let values = match &v {
                serde_norway::Value::Sequence(items) => {
                    items.iter().map(scalar).collect::<Result<_, _>>()?
                }
                other => vec![scalar(other)?],
            };
            Ok((field, values))
        })
        .collect()
}
