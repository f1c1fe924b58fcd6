//! The knowledge base's fiscal years agree with FACTS.md §11, cell by cell: the built
//! `data/tables/designations.json` says who was listed each year, `data/designation.csv` how
//! each was designated, and both are compared with the table below, typed from FACTS.md.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use crate::support::repo_root;

/// The cable's ¶4 list, FY2006–FY2010.
const CABLE_20: [&str; 20] = [
    "afghanistan",
    "bahamas",
    "bolivia",
    "brazil",
    "burma",
    "colombia",
    "dominican-republic",
    "ecuador",
    "guatemala",
    "haiti",
    "india",
    "jamaica",
    "laos",
    "mexico",
    "nigeria",
    "pakistan",
    "panama",
    "paraguay",
    "peru",
    "venezuela",
];

/// One row of FACTS.md §11: the countries added and removed against the previous row, the
/// countries designated as having failed demonstrably and those given a waiver (`None` where
/// FACTS.md says [U]), and the confidence of its source.
struct Year {
    fy: u32,
    added: &'static [&'static str],
    removed: &'static [&'static str],
    failed: Option<&'static [&'static str]>,
    waived: Option<&'static [&'static str]>,
    certainty: &'static str,
}

const BBV: &[&str] = &["bolivia", "burma", "venezuela"];
const BV: &[&str] = &["bolivia", "venezuela"];

#[rustfmt::skip]
const FACTS_11: &[Year] = &[
    Year { fy: 2006, added: &CABLE_20, removed: &[], failed: None, waived: None, certainty: "V" },
    Year { fy: 2007, added: &[], removed: &[], failed: Some(&["burma", "venezuela"]), waived: Some(&["venezuela"]), certainty: "V" },
    Year { fy: 2008, added: &[], removed: &[], failed: Some(&["burma", "venezuela"]), waived: Some(&["venezuela"]), certainty: "V" },
    Year { fy: 2009, added: &[], removed: &[], failed: Some(BBV), waived: None, certainty: "V" },
    Year { fy: 2010, added: &[], removed: &[], failed: Some(BBV), waived: Some(BV), certainty: "V" },
    Year { fy: 2011, added: &["costa-rica", "honduras", "nicaragua"], removed: &["brazil", "nigeria", "paraguay"], failed: Some(BBV), waived: Some(BV), certainty: "V" },
    Year { fy: 2012, added: &["belize", "el-salvador"], removed: &[], failed: Some(BBV), waived: Some(BV), certainty: "K" },
    Year { fy: 2013, added: &[], removed: &[], failed: Some(BBV), waived: None, certainty: "V" },
    Year { fy: 2014, added: &[], removed: &[], failed: Some(BBV), waived: None, certainty: "K" },
    Year { fy: 2015, added: &[], removed: &[], failed: Some(BBV), waived: None, certainty: "V" },
    Year { fy: 2016, added: &[], removed: &[], failed: None, waived: None, certainty: "V" },
    Year { fy: 2017, added: &[], removed: &[], failed: None, waived: None, certainty: "V" },
    Year { fy: 2018, added: &[], removed: &[], failed: Some(BV), waived: None, certainty: "V" },
    Year { fy: 2019, added: &[], removed: &[], failed: Some(BV), waived: None, certainty: "V" },
    Year { fy: 2020, added: &[], removed: &[], failed: Some(BV), waived: None, certainty: "V" },
    Year { fy: 2021, added: &[], removed: &[], failed: Some(BV), waived: Some(BV), certainty: "V" },
    Year { fy: 2022, added: &[], removed: &[], failed: Some(BV), waived: None, certainty: "V" },
    Year { fy: 2023, added: &[], removed: &[], failed: Some(&["afghanistan", "bolivia", "burma", "venezuela"]), waived: None, certainty: "V" },
    Year { fy: 2024, added: &["china"], removed: &[], failed: None, waived: None, certainty: "V" },
    Year { fy: 2025, added: &[], removed: &[], failed: None, waived: None, certainty: "V" },
    Year { fy: 2026, added: &[], removed: &[], failed: Some(&["afghanistan", "bolivia", "burma", "colombia", "venezuela"]), waived: Some(&["bolivia", "burma", "colombia", "venezuela"]), certainty: "K" },
];

/// What a reader should see in a cell: `None` off the list, else the designation.
fn expected_cells() -> BTreeMap<(String, u32), String> {
    let mut cells = BTreeMap::new();
    // FY2002: no list in the sources, only the three designated (FOAA §591).
    for (c, w) in [
        ("afghanistan", "granted"),
        ("burma", "none"),
        ("haiti", "granted"),
    ] {
        cells.insert((c.to_string(), 2002), format!("failed-demonstrably/{w}/V"));
    }
    let mut members: BTreeSet<&str> = BTreeSet::new();
    for y in FACTS_11 {
        members.extend(y.added);
        for r in y.removed {
            members.remove(r);
        }
        for c in &members {
            let state = match y.failed {
                None => "unknown".to_string(),
                Some(f) if !f.contains(c) => "listed".to_string(),
                Some(_) => match y.waived {
                    None => "failed-demonstrably/unknown".to_string(),
                    Some(w) if w.contains(c) => "failed-demonstrably/granted".to_string(),
                    Some(_) => "failed-demonstrably/none".to_string(),
                },
            };
            // FY2006: only Brazil, Nigeria and Paraguay are named; the rest are inferred.
            let certainty = if y.fy == 2006 && !["brazil", "nigeria", "paraguay"].contains(c) {
                "U"
            } else {
                y.certainty
            };
            cells.insert((c.to_string(), y.fy), format!("{state}/{certainty}"));
        }
    }
    cells
}

fn build_kb() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let run = Command::new(env!("CARGO_BIN_EXE_majors"))
        .args(["build", "--color", "never", "--root"])
        .arg(repo_root())
        .arg("--output-dir")
        .arg(out.path())
        .output()
        .expect("run majors");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn read_json(out: &tempfile::TempDir, rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(out.path().join(rel)).expect(rel);
    serde_json::from_str(&text).expect("valid JSON")
}

/// `data/<type>.csv` as one map per row, keyed by column name.
fn read_csv(out: &tempfile::TempDir, rel: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.path().join(rel)).expect(rel);
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            header
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn strip<'a>(id: &'a str, prefix: &str) -> &'a str {
    id.strip_prefix(prefix).unwrap_or(id)
}

#[test]
fn the_designations_matrix_agrees_with_facts_cell_by_cell() {
    let out = build_kb();
    let table = read_json(&out, "data/tables/designations.json");
    let rows = table["rows"].as_array().expect("rows");
    let columns = table["columns"].as_array().expect("columns");
    let designations: BTreeMap<String, BTreeMap<String, String>> =
        read_csv(&out, "data/designation.csv")
            .into_iter()
            .map(|r| (r["id"].clone(), r))
            .collect();
    let mut actual = BTreeMap::new();
    for (r, row) in rows.iter().zip(table["cells"].as_array().expect("cells")) {
        let country = strip(r["key"].as_str().expect("row key"), "countries/");
        for (c, cell) in columns.iter().zip(row.as_array().expect("a row of cells")) {
            let fy: u32 = strip(c["key"].as_str().expect("column key"), "fiscal-years/fy")
                .parse()
                .expect("a fiscal-year column");
            let Some(id) = cell.as_str() else { continue };
            let d = &designations[id];
            assert_eq!(d["country"], format!("countries/{country}"), "{id}");
            let state = match d["waiver"].as_str() {
                "" => d["status"].clone(),
                w => format!("{}/{w}", d["status"]),
            };
            actual.insert(
                (country.to_string(), fy),
                format!("{state}/{}", d["certainty"]),
            );
        }
    }
    let expected = expected_cells();
    let differ: Vec<_> = expected
        .iter()
        .filter(|(k, v)| actual.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k:?}: FACTS {v}, site {:?}", actual.get(k)))
        .chain(
            actual
                .keys()
                .filter(|k| !expected.contains_key(*k))
                .map(|k| format!("{k:?}: on the site, not in FACTS")),
        )
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
    assert_eq!(actual.len(), 456);
    // One row per country ever listed, one column per fiscal year in FACTS.md §11.
    assert_eq!(rows.len(), 26);
    assert_eq!(columns.len(), 22);
    assert_eq!(
        designations.len(),
        456,
        "no designation is outside the table"
    );
}

/// A determination's `listed` is the set of that year's designation pages, so the list is
/// stated once per year and the matrix cannot disagree with it.
#[test]
fn each_determination_lists_exactly_the_years_designations() {
    let out = build_kb();
    let mut by_year: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in read_csv(&out, "data/designation.csv") {
        by_year
            .entry(d["fiscal_year"].clone())
            .or_default()
            .insert(d["country"].clone());
    }
    let determinations = read_csv(&out, "data/determination.csv");
    assert_eq!(determinations.len(), 22);
    for d in determinations {
        let fy = &d["fiscal_year"];
        let listed: BTreeSet<String> = d["listed"]
            .split(';')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim().to_string())
            .collect();
        if fy == "fiscal-years/fy2002" {
            assert!(listed.is_empty(), "FY2002's list is not in the sources");
            assert_eq!(d["listed_certainty"], "U");
        } else {
            assert_eq!(listed, by_year[fy], "{fy}");
        }
    }
}

/// `outside_fy2010` holds exactly for the countries without an FY2010 designation.
#[test]
fn outside_fy2010_marks_exactly_the_countries_not_designated_for_fy2010() {
    let out = build_kb();
    let in_fy2010: BTreeSet<String> = read_csv(&out, "data/designation.csv")
        .into_iter()
        .filter(|d| d["fiscal_year"] == "fiscal-years/fy2010")
        .map(|d| d["country"].clone())
        .collect();
    let countries = read_csv(&out, "data/country.csv");
    assert_eq!(countries.len(), 26);
    for c in countries {
        let outside = c["outside_fy2010"] == "true";
        assert_eq!(outside, !in_fy2010.contains(&c["id"]), "{}", c["id"]);
    }
}

/// The text of the `<section class="{class}"` in `html`, one line per list item, tags removed.
fn section_items(html: &str, class: &str) -> Vec<String> {
    let start = html
        .find(&format!("<section class=\"{class}\""))
        .unwrap_or_else(|| panic!("no {class} section"));
    let section = &html[start..];
    let section = &section[..section.find("</section>").expect("section ends")];
    section
        .split("<li")
        .skip(1)
        .map(|item| {
            let mut text = String::new();
            let mut in_tag = true; // the rest of the `<li ...>` tag
            for c in item.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_string()
        })
        .collect()
}

/// FACTS §11.1, the legal frame over time: the section page lists the statutes in that order,
/// and a statute's history runs from what it took the place of, through itself, to what
/// amended it or took its place.
#[test]
fn the_legal_frame_runs_in_the_order_of_facts_11_1() {
    let out = build_kb();
    let read = |rel: &str| std::fs::read_to_string(out.path().join(rel)).expect(rel);
    let frame = section_items(&read("legislation/index.html"), "law-frame");
    let starts: Vec<&str> = frame
        .iter()
        .map(|line| line.split(':').next().unwrap_or_default())
        .collect();
    assert_eq!(
        starts,
        [
            "1986 Anti-Drug Abuse Act of 1986",
            "2 November 1992 Pub. L. 102-583",
            "2002 FY2002 FOAA §591",
            "30 September 2002 FRAA FY2003 §706",
            "9 March 2006 CMEA §722",
            "23 December 2022 James M. Inhofe NDAA for FY2023",
        ]
    );
    let history = |slug: &str| {
        section_items(
            &read(&format!("legislation/{slug}/index.html")),
            "law-history",
        )
    };
    assert_eq!(
        history("fraa-706"),
        [
            "2002 FY2002 FOAA §591 was its forerunner",
            "30 September 2002 FRAA FY2003 §706 (this page)",
            "9 March 2006 CMEA §722 amended it",
        ]
    );
    assert_eq!(
        history("ada-1986"),
        [
            "1986 Anti-Drug Abuse Act of 1986 (this page)",
            "2 November 1992 Pub. L. 102-583 took its place",
        ]
    );
}

/// The FY2010 matrices have one row per country of the cable's ¶4 list that has FY2010
/// benchmarks (only Peru in the sources), and one line naming the other nineteen: no country
/// off that year's list, and no row of dashes.
#[test]
fn the_fy2010_matrices_show_the_countries_with_benchmarks_and_name_the_rest() {
    let out = build_kb();
    for matrix in ["categories-fy2010", "mem-fy2010"] {
        let html = std::fs::read_to_string(out.path().join(format!("matrix/{matrix}/index.html")))
            .expect(matrix);
        let rows: Vec<&str> = html
            .split("<th scope=\"row\"><a href=\"/countries/")
            .skip(1)
            .map(|r| &r[..r.find('/').expect("country URL")])
            .collect();
        assert_eq!(rows, ["peru"], "{matrix}");
        let none = &html[html.find("<tr class=\"matrix-none\">").expect(matrix)..];
        let none = &none[..none.find("</tr>").expect("row ends")];
        assert!(
            none.contains("19 of the 20 countries on the FY2010 list have no benchmarks"),
            "{none}"
        );
        let named: BTreeSet<&str> = none
            .split("<a href=\"/countries/")
            .skip(1)
            .map(|r| &r[..r.find('/').expect("country URL")])
            .collect();
        let expected: BTreeSet<&str> = CABLE_20.iter().copied().filter(|c| *c != "peru").collect();
        assert_eq!(named, expected, "{matrix}");
    }
}

/// The home page and the process page show the yearly cycle as FY2010 ran it, step by step in
/// the cable's order and dates (¶2, ¶7; FACTS §11), the determination linked.
#[test]
fn the_home_and_process_pages_show_the_cycle_in_order() {
    let out = build_kb();
    for page in [
        "index.html",
        "process/index.html",
        "fiscal-years/fy2010/index.html",
    ] {
        let html = std::fs::read_to_string(out.path().join(page)).expect(page);
        let items = section_items(&html, "fy-cycle");
        assert_eq!(
            items,
            [
                "Demarche and benchmarks 2 April 2009",
                "Host's response due 25 April 2009",
                "Report card due June 2009",
                "Determination 15 September 2009",
                "Aid may flow 1 October 2009",
                "INCSR due 1 March 2010",
            ],
            "{page}"
        );
        assert!(
            html.contains(
                "<a href=\"/fiscal-years/fy2010/determination/\"><time datetime=\"2009-09-15\">"
            ),
            "{page}"
        );
    }
}
