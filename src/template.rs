//! Memo templates: page geometry, type sizes, section order and fixed wording.

use crate::diag::Diagnostic;
use crate::library::PointKind;
use crate::spelling::Convention;
use anyhow::{bail, Result};
use serde::Deserialize;
use std::path::Path;

/// Templates compiled into the binary, by name.
const EMBEDDED: [(&str, &str); 1] = [("summit-memo", include_str!("../templates/summit-memo.toml"))];

pub(crate) const DEFAULT: &str = "summit-memo";

fn default_lang() -> String {
    "en-GB".to_owned()
}

fn default_contents_after() -> usize {
    12
}

fn default_contents() -> String {
    "Contents".to_owned()
}

fn default_inferred() -> String {
    "inferred".to_owned()
}

fn default_dated_in_brief() -> String {
    "dated".to_owned()
}

/// Page sides, in mm: from a postcard's to A0's long side, well inside the
/// 5,080 mm PDF readers show.
const PAGE_MM: (f64, f64) = (50.0, 1189.0);
/// A margin wider than this leaves a page of margin.
const MARGIN_MM: f64 = 200.0;
/// Each of the nine kinds of section once, or a few more than once; thousands
/// took gigabytes to lay out.
const MAX_SECTIONS: usize = 50;
/// The font families compiled in (`DejaVu`, from the `dejavu` crate; both cover
/// Latin, Greek and Cyrillic).
pub(crate) const FAMILIES: [&str; 2] = ["dejavu-serif", "dejavu-sans"];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The memo's language as a BCP 47 tag (the PDF's `/Lang`, read by screen readers).
    #[serde(default = "default_lang")]
    pub lang: String,
    /// A memo of more pages than this gets a contents list after its summary.
    #[serde(default = "default_contents_after")]
    pub contents_after_pages: usize,
    /// How talking points are placed: under their topic (threat or partner),
    /// or all together, grouped by kind.
    #[serde(default)]
    pub points: PointGrouping,
    /// The spelling convention of the fixed wording, which `check` holds the
    /// library's text to.
    #[serde(default = "default_spelling")]
    pub spelling: Convention,
    pub page: Page,
    pub fonts: Fonts,
    pub wording: Wording,
    pub sections: Vec<Section>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PointGrouping {
    #[default]
    ByTopic,
    ByKind,
}

fn default_spelling() -> Convention {
    Convention::EnGb
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub margin_top: f64,
    pub margin_right: f64,
    pub margin_bottom: f64,
    pub margin_left: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub family: String,
    pub body: u8,
    pub small: u8,
    pub title: u8,
    pub heading: u8,
    pub subheading: u8,
    pub line_spacing: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    pub title: String,
    pub reference: String,
    pub date: String,
    pub to: String,
    pub from: String,
    pub meeting: String,
    pub place: String,
    pub meeting_date: String,
    pub marking: String,
    pub distribution: String,
    pub copy: String,
    pub page: String,
    pub running_head: String,
    pub draft: String,
    pub not_given: String,
    pub none_selected: String,
    pub trend: String,
    pub regions: String,
    pub operations: String,
    pub relationship: String,
    pub since: String,
    pub areas: String,
    pub next_steps: String,
    pub source: String,
    pub sources: String,
    pub cited_by: String,
    /// The heading of the contents list.
    #[serde(default = "default_contents")]
    pub contents: String,
    pub point: String,
    pub points: String,
    pub excerpt_open: String,
    pub excerpt_close: String,
    pub general_theme: String,
    pub format: String,
    pub joined: String,
    pub left: String,
    pub period: String,
    /// Heads a threat's or partner's latest assessment: "{date}" is its date.
    pub assessed: String,
    /// Introduces a line that is not the organisation's own: "{speaker}".
    pub position: String,
    /// Marks a line said (or reaffirmed) too long before the memo: "{when}" ("said in
    /// 2013"), "{years}".
    pub dated: String,
    pub annex: String,
    pub purpose: String,
    pub objectives: String,
    pub key_messages: String,
    pub decisions: String,
    pub annexes: String,
    pub drafter: String,
    pub contact: String,
    /// Where a key message is developed: "{point}" and "{section}".
    pub developed_at: String,
    /// Marks a quotation from a machine-translated source.
    pub machine_translation: String,
    /// Column headings of the member-states annex.
    pub states_columns: [String; 4],
    /// Beside a state's status that the sources imply but do not state; the
    /// reasoning goes in the notes. Defaulted so that older templates still load.
    #[serde(default = "default_inferred")]
    pub inferred: String,
    /// Beside a dated key message's pointer in the summary, where the whole mark
    /// (`dated`) does not fit. Defaulted so that older templates still load.
    #[serde(default = "default_dated_in_brief")]
    pub dated_in_brief: String,
    pub point_kinds: PointKinds,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PointKinds {
    pub key_message: String,
    pub defensive_line: String,
    pub background: String,
    pub press_line: String,
}

impl PointKinds {
    pub(crate) fn heading(&self, kind: PointKind) -> &str {
        match kind {
            PointKind::KeyMessage => &self.key_message,
            PointKind::DefensiveLine => &self.defensive_line,
            PointKind::Background => &self.background,
            PointKind::PressLine => &self.press_line,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Purpose, objectives, key messages in brief, decisions sought, annexes:
    /// printed under the title block, unnumbered, wherever it is listed.
    Summary,
    Purpose,
    /// The format of the meeting alone (the summary gives the purpose).
    Format,
    PreparatoryWork,
    Situation,
    Partners,
    Points,
    Proposals,
    AnnexSources,
    AnnexStates,
    AnnexPeople,
}

impl SectionKind {
    pub fn is_annex(self) -> bool {
        matches!(
            self,
            SectionKind::AnnexSources | SectionKind::AnnexStates | SectionKind::AnnexPeople
        )
    }
}

/// A length as written in a message: `1e308`, not three hundred digits.
fn shown(mm: f64) -> String {
    if mm.is_finite() && mm.abs() >= 1e6 {
        format!("{mm:e}")
    } else {
        format!("{mm}")
    }
}

/// Fills `{name}` placeholders; unknown ones are left as written.
pub(crate) fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = pattern.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

impl Template {
    /// Loads a template by embedded name, or from a path.
    pub(crate) fn find(name_or_path: &str) -> Result<Template> {
        if let Some((name, text)) = EMBEDDED.iter().find(|(n, _)| *n == name_or_path) {
            return Template::parse(text, &format!("embedded:templates/{name}.toml"));
        }
        let path = Path::new(name_or_path);
        if path.exists() {
            let text = crate::input::read_text(path, crate::input::TEMPLATE_FILE, "template")?;
            return Template::parse(&text, &path.display().to_string());
        }
        let names: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        bail!(
            "no template named `{name_or_path}` (built in: {}), and no such file",
            names.join(", ")
        )
    }

    pub fn default_template() -> Result<Template> {
        Template::find(DEFAULT)
    }

    /// Page sizes, margins and counts within what a memo can use and PDF
    /// readers can show, each refused in one sentence: `inf` or `1e308` made
    /// broken PDFs, a negative margin pages without body text, and a 100 m page
    /// one readers refuse.
    fn check_bounds(&self, file: &str) -> Result<()> {
        let p = &self.page;
        for (name, mm) in [("width", p.width), ("height", p.height)] {
            if !(PAGE_MM.0..=PAGE_MM.1).contains(&mm) {
                bail!(
                    "{file}: page `{name}` is {} mm; use {} to {} mm",
                    shown(mm),
                    PAGE_MM.0,
                    PAGE_MM.1
                );
            }
        }
        for (name, mm) in [
            ("margin_top", p.margin_top),
            ("margin_right", p.margin_right),
            ("margin_bottom", p.margin_bottom),
            ("margin_left", p.margin_left),
        ] {
            if !(0.0..=MARGIN_MM).contains(&mm) {
                bail!(
                    "{file}: page `{name}` is {} mm; use 0 to {MARGIN_MM} mm",
                    shown(mm)
                );
            }
        }
        if self.sections.is_empty() || self.sections.len() > MAX_SECTIONS {
            bail!(
                "{file}: the template has {} sections; use 1 to {MAX_SECTIONS}",
                self.sections.len()
            );
        }
        Ok(())
    }

    pub fn parse(text: &str, file: &str) -> Result<Template> {
        let t: Template = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{}",
                Diagnostic::at_span(file, text, e.span(), e.message().trim().to_owned())
            )
        })?;
        t.check_bounds(file)?;
        let p = &t.page;
        let usable_w = p.width - p.margin_left - p.margin_right;
        let usable_h = p.height - p.margin_top - p.margin_bottom;
        if !(usable_w >= 50.0 && usable_h >= 80.0) {
            bail!("{file}: the page leaves {usable_w:.0} x {usable_h:.0} mm for text; at least 50 x 80 mm is needed");
        }
        let f = &t.fonts;
        for (name, size) in [
            ("body", f.body),
            ("small", f.small),
            ("title", f.title),
            ("heading", f.heading),
            ("subheading", f.subheading),
        ] {
            if !(5..=40).contains(&size) {
                bail!("{file}: font size `{name}` is {size}; use 5 to 40 points");
            }
        }
        if !(1.0..=3.0).contains(&f.line_spacing) {
            bail!("{file}: line_spacing must be between 1.0 and 3.0");
        }
        if !FAMILIES.contains(&f.family.as_str()) {
            bail!(
                "{file}: font family `{}` is not available; use one of {}",
                f.family,
                FAMILIES.join(", ")
            );
        }
        // BCP 47's shape (letters, digits, hyphen-separated subtags of 1 to 8),
        // which screen readers match against their voices.
        let lang_ok = t
            .lang
            .split('-')
            .all(|sub| (1..=8).contains(&sub.len()) && sub.chars().all(|c| c.is_ascii_alphanumeric()))
            && t.lang.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !lang_ok {
            bail!(
                "{file}: lang `{}` is not a language tag; use one such as `en-GB` or `ru`",
                t.lang
            );
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_template_loads_and_orders_sections() {
        let t = Template::default_template().unwrap();
        assert_eq!(t.sections.first().map(|s| s.kind), Some(SectionKind::Summary));
        assert!(t.sections.iter().any(|s| s.kind == SectionKind::AnnexSources));
    }

    #[test]
    fn unknown_template_names_the_builtins() {
        let e = Template::find("no-such-template").unwrap_err().to_string();
        assert!(e.contains("summit-memo"), "{e}");
    }

    #[test]
    fn bad_template_points_at_line() {
        let text = include_str!("../templates/summit-memo.toml").replace("body = 11", "body = \"ten\"");
        let e = Template::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(e.starts_with("t.toml:"), "{e}");
    }

    #[test]
    fn language_is_a_tag_and_defaults_to_british_english() {
        let text = include_str!("../templates/summit-memo.toml");
        assert_eq!(Template::parse(text, "t.toml").unwrap().lang, "en-GB");
        let ru = text.replace("lang = \"en-GB\"", "lang = \"ru\"");
        assert_eq!(Template::parse(&ru, "t.toml").unwrap().lang, "ru");
        let none = text.replace("lang = \"en-GB\"\n", "");
        assert_eq!(Template::parse(&none, "t.toml").unwrap().lang, "en-GB");
        for bad in ["", "en GB", "-en", "en_GB", "toolongsubtag"] {
            let t = text.replace("lang = \"en-GB\"", &format!("lang = \"{bad}\""));
            let e = Template::parse(&t, "t.toml").unwrap_err().to_string();
            assert!(e.contains("not a language tag"), "{bad}: {e}");
        }
    }

    #[test]
    fn impossible_pages_margins_and_counts_are_refused_one_sentence_each() {
        let text = include_str!("../templates/summit-memo.toml");
        let section = "\n[[sections]]\nkind = \"purpose\"\nheading = \"Purpose\"\n";
        let many = format!("{text}{}", section.repeat(3_000));
        for (from, to, want) in [
            (
                "width = 210.0",
                "width = inf",
                "t.toml: page `width` is inf mm; use 50 to 1189 mm",
            ),
            (
                "width = 210.0",
                "width = 1e308",
                "t.toml: page `width` is 1e308 mm; use 50 to 1189 mm",
            ),
            ("width = 210.0", "width = nan", "t.toml: page `width` is NaN mm"),
            (
                "height = 297.0",
                "height = 100000.0",
                "t.toml: page `height` is 100000 mm; use 50 to 1189 mm",
            ),
            (
                "margin_top = 12.0",
                "margin_top = -30.0",
                "t.toml: page `margin_top` is -30 mm; use 0 to 200 mm",
            ),
            (
                "margin_left = 30.0",
                "margin_left = -inf",
                "t.toml: page `margin_left` is -inf mm",
            ),
        ] {
            let e = Template::parse(&text.replacen(from, to, 1), "t.toml")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(want), "{to}: {e}");
            assert_eq!(e.lines().count(), 1, "{e}");
        }
        let e = Template::parse(&many, "t.toml").unwrap_err().to_string();
        assert_eq!(e, "t.toml: the template has 3009 sections; use 1 to 50");
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill("Page {page} of {pages}", &[("page", "2"), ("pages", "9")]),
            "Page 2 of 9"
        );
    }
}
