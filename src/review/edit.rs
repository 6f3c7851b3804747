//! Review actions as data, and applying them to the text of `points.toml`.
//!
//! Everything here is pure text in, text out: the point is found by its `id` in the
//! `[[points]]` array of tables and only the keys an action touches are changed, through
//! `toml_edit`, so comments, key order, quoting and every other record stay byte for byte
//! as they were and a `git diff` shows only the edit.

pub(crate) use crate::tomledit::basic_string;
use crate::tomledit::render_list;
use chrono::NaiveDate;
use std::fmt;
use toml_edit::{DocumentMut, Item, Key, Table, Value};

use crate::diag::LineCol;
use crate::library::is_kebab_id;

/// The keys of a point, in the order `data/SCHEMA.md` gives them; a key the file lacks is
/// inserted where this order puts it, so hand-written and tool-written points look alike.
const KEY_ORDER: [&str; 16] = [
    "id",
    "text",
    "kind",
    "threats",
    "partners",
    "source",
    "excerpt",
    "status",
    "speaker",
    "said",
    "reaffirmed",
    "reviewed",
    "reviewer",
    "owner",
    "retired_reason",
    "tags",
];

/// A key of a point that review actions change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Text,
    Kind,
    Threats,
    Partners,
    Status,
    Reaffirmed,
    Reviewed,
    Reviewer,
    RetiredReason,
    Tags,
}

impl Field {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Kind => "kind",
            Field::Reaffirmed => "reaffirmed",
            Field::Threats => "threats",
            Field::Partners => "partners",
            Field::Status => "status",
            Field::Reviewed => "reviewed",
            Field::Reviewer => "reviewer",
            Field::RetiredReason => "retired_reason",
            Field::Tags => "tags",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The value of a field as far as review is concerned; `Other` holds any shape the
/// schema does not expect, as written, so it can still be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Date(NaiveDate),
    List(Vec<String>),
    Other(String),
}

impl FieldValue {
    /// The value as a person reads it in a message.
    pub(crate) fn show(&self) -> String {
        match self {
            FieldValue::Text(s) | FieldValue::Other(s) => s.clone(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::List(v) => v.join(", "),
        }
    }
}

/// What a field holds (`None`: the key is absent) or is to hold (`None`: remove the key).
pub(crate) type Change = (Field, Option<FieldValue>);

/// Two field states that mean the same: an absent list is an empty one, and a date
/// written as a string is that date.
pub(crate) fn same(a: Option<&FieldValue>, b: Option<&FieldValue>) -> bool {
    fn norm(v: Option<&FieldValue>) -> Option<FieldValue> {
        match v {
            None => None,
            Some(FieldValue::List(l)) if l.is_empty() => None,
            Some(FieldValue::Date(d)) => Some(FieldValue::Text(d.format("%Y-%m-%d").to_string())),
            Some(v) => Some(v.clone()),
        }
    }
    norm(a) == norm(b)
}

/// One review action on one point. Each is a single key in the review screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Status `approved`, stamped as reviewed: approving is a review, and an approved
    /// point without a date would at once be due again as never reviewed.
    Approve {
        reviewer: String,
        date: NaiveDate,
    },
    /// Stamps the review date and the reviewer; the status stays.
    MarkReviewed {
        reviewer: String,
        date: NaiveDate,
    },
    /// The line is still our position: stamps `reaffirmed`, which restarts its
    /// age, and the review.
    Reaffirm {
        reviewer: String,
        date: NaiveDate,
    },
    /// The line becomes history (kind `background`), which never goes stale.
    MakeBackground,
    /// Status `retired` with the reason; the point stays in the library.
    Retire {
        reason: String,
    },
    /// Status `draft`; a retirement reason no longer applies and goes.
    ToDraft,
    SetText(String),
    SetTags(Vec<String>),
    SetLinks {
        threats: Vec<String>,
        partners: Vec<String>,
    },
}

impl Action {
    /// The field changes this action makes, or a sentence saying why it cannot be made.
    pub(crate) fn changes(&self) -> Result<Vec<Change>, String> {
        let text = |s: &str| Some(FieldValue::Text(s.to_owned()));
        let list = |v: &[String]| Some(FieldValue::List(v.to_vec()));
        let reviewed = |reviewer: &str, date: NaiveDate| -> Result<Vec<Change>, String> {
            if reviewer.trim().is_empty() {
                return Err("the reviewer's name is empty".to_owned());
            }
            if !(1..=9999).contains(&chrono::Datelike::year(&date)) {
                return Err(format!("{date} is not a date a TOML file can hold"));
            }
            Ok(vec![
                (Field::Reviewed, Some(FieldValue::Date(date))),
                (Field::Reviewer, text(reviewer.trim())),
            ])
        };
        Ok(match self {
            Action::Approve { reviewer, date } => {
                let mut c = vec![(Field::Status, text("approved"))];
                c.extend(reviewed(reviewer, *date)?);
                c.push((Field::RetiredReason, None));
                c
            }
            Action::MarkReviewed { reviewer, date } => reviewed(reviewer, *date)?,
            Action::Reaffirm { reviewer, date } => {
                let mut c = vec![(Field::Reaffirmed, Some(FieldValue::Date(*date)))];
                c.extend(reviewed(reviewer, *date)?);
                c
            }
            Action::MakeBackground => vec![(Field::Kind, text("background"))],
            Action::Retire { reason } => {
                if reason.trim().is_empty() {
                    return Err("a point is retired with a reason, and the reason is empty".to_owned());
                }
                vec![
                    (Field::Status, text("retired")),
                    (Field::RetiredReason, text(reason.trim())),
                ]
            }
            Action::ToDraft => vec![(Field::Status, text("draft")), (Field::RetiredReason, None)],
            Action::SetText(s) => {
                if s.trim().is_empty() {
                    return Err("the point's text is empty".to_owned());
                }
                vec![(Field::Text, text(s.trim()))]
            }
            Action::SetTags(tags) => {
                let tags: Vec<String> = tags.iter().map(|t| t.trim().to_owned()).collect();
                if tags.iter().any(String::is_empty) {
                    return Err("a tag is empty".to_owned());
                }
                vec![(Field::Tags, list(&dedup(&tags)))]
            }
            Action::SetLinks { threats, partners } => {
                for id in threats.iter().chain(partners) {
                    if !is_kebab_id(id) {
                        return Err(format!(
                            "`{id}` is not an id (lowercase letters, digits and single hyphens)"
                        ));
                    }
                }
                vec![
                    (Field::Threats, list(&dedup(threats))),
                    (Field::Partners, list(&dedup(partners))),
                ]
            }
        })
    }

    /// "approved `id`", for a status line and the undo prompt.
    pub(crate) fn describe(&self, id: &str) -> String {
        match self {
            Action::Approve { .. } => format!("approved `{id}`"),
            Action::MarkReviewed { .. } => format!("marked `{id}` reviewed"),
            Action::Reaffirm { .. } => format!("reaffirmed `{id}` as our position today"),
            Action::MakeBackground => format!("made `{id}` background"),
            Action::Retire { .. } => format!("retired `{id}`"),
            Action::ToDraft => format!("sent `{id}` back to draft"),
            Action::SetText(_) => format!("changed the text of `{id}`"),
            Action::SetTags(_) => format!("changed the tags of `{id}`"),
            Action::SetLinks { .. } => format!("changed the links of `{id}`"),
        }
    }
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for s in v {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// Why a change could not be applied to the file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum EditError {
    NotToml { at: LineCol, message: String },
    NoPointsArray,
    Missing(String),
    Duplicate(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotToml { at, message } => write!(
                f,
                "points.toml is not valid TOML at line {}, column {} ({message}); fix it by hand first",
                at.line, at.col
            ),
            EditError::NoPointsArray => f.write_str("points.toml holds no `[[points]]` tables"),
            EditError::Missing(id) => write!(f, "there is no point `{id}` in points.toml"),
            EditError::Duplicate(id) => write!(
                f,
                "point `{id}` appears more than once in points.toml; fix that by hand first"
            ),
        }
    }
}

impl std::error::Error for EditError {}

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>().map_err(|e| EditError::NotToml {
        at: LineCol::at(text, e.span().map_or(0, |s| s.start)),
        message: e.message().trim().to_owned(),
    })
}

fn point_mut<'d>(doc: &'d mut DocumentMut, id: &str) -> Result<&'d mut Table, EditError> {
    let points = doc
        .get_mut("points")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or(EditError::NoPointsArray)?;
    let mut found = points
        .iter_mut()
        .filter(|t| t.get("id").and_then(Item::as_str) == Some(id));
    let table = found.next().ok_or_else(|| EditError::Missing(id.to_owned()))?;
    if found.next().is_some() {
        return Err(EditError::Duplicate(id.to_owned()));
    }
    Ok(table)
}

/// The ids of the points in the file, in file order; for telling whether every point
/// in the file made it into the library.
pub(crate) fn point_ids(text: &str) -> Result<Vec<String>, EditError> {
    let doc = parse(text)?;
    let Some(points) = doc.get("points") else {
        return Ok(Vec::new());
    };
    let points = points.as_array_of_tables().ok_or(EditError::NoPointsArray)?;
    Ok(points
        .iter()
        .map(|t| t.get("id").and_then(Item::as_str).unwrap_or_default().to_owned())
        .collect())
}

/// What the point `id` holds in `fields`, as the file has it.
pub(crate) fn read_fields(text: &str, id: &str, fields: &[Field]) -> Result<Vec<Change>, EditError> {
    let mut doc = parse(text)?;
    let table = point_mut(&mut doc, id)?;
    Ok(fields
        .iter()
        .map(|&f| (f, table.get(f.key()).map(read_item)))
        .collect())
}

fn read_item(item: &Item) -> FieldValue {
    let raw = || FieldValue::Other(item.to_string().trim().to_owned());
    let Some(value) = item.as_value() else {
        return raw();
    };
    match value {
        Value::String(s) => FieldValue::Text(s.value().clone()),
        Value::Datetime(dt) => {
            let dt = dt.value();
            match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                    .map_or_else(raw, FieldValue::Date),
                _ => raw(),
            }
        }
        Value::Array(a) => {
            let items: Option<Vec<String>> = a.iter().map(|v| v.as_str().map(str::to_owned)).collect();
            items.map_or_else(raw, FieldValue::List)
        }
        _ => raw(),
    }
}

/// Applies `changes` to the point `id` in `text`, leaving every other byte alone.
/// A field that already holds the wanted value is not rewritten, so its quoting and
/// layout survive.
pub(crate) fn apply(text: &str, id: &str, changes: &[Change]) -> Result<String, EditError> {
    let mut doc = parse(text)?;
    let table = point_mut(&mut doc, id)?;
    for (field, want) in changes {
        set(table, *field, want.as_ref());
    }
    Ok(doc.to_string())
}

fn set(table: &mut Table, field: Field, want: Option<&FieldValue>) {
    let key = field.key();
    let have = table.get(key).map(read_item);
    if same(have.as_ref(), want) {
        return;
    }
    let Some(want) = want else {
        table.remove(key);
        return;
    };
    let old = table.get(key).and_then(Item::as_value);
    let mut value = render(want, old);
    match table.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                *value.decor_mut() = old.decor().clone();
            }
            *item = Item::Value(value);
        }
        None => insert_in_order(table, key, Item::Value(value)),
    }
}

fn render(v: &FieldValue, old: Option<&Value>) -> Value {
    match v {
        FieldValue::Text(s) => basic_string(s),
        // Put back as it was written (an undo of an unusual value), not as a string.
        FieldValue::Other(raw) => raw.parse::<Value>().unwrap_or_else(|_| basic_string(raw)),
        FieldValue::Date(d) => toml_edit::Date {
            year: u16::try_from(chrono::Datelike::year(d)).unwrap_or(0),
            month: chrono::Datelike::month(d) as u8,
            day: chrono::Datelike::day(d) as u8,
        }
        .into(),
        FieldValue::List(items) => Value::Array(render_list(items, old.and_then(Value::as_array))),
    }
}

/// Inserts a key the point lacks before the first key that follows it in `KEY_ORDER`;
/// the keys after it are taken out and put back with their own formatting and comments.
fn insert_in_order(table: &mut Table, key: &str, item: Item) {
    let rank = |k: &str| KEY_ORDER.iter().position(|o| *o == k);
    let Some(mine) = rank(key) else {
        table.insert(key, item);
        return;
    };
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    let Some(split) = keys.iter().position(|k| rank(k).is_some_and(|r| r > mine)) else {
        table.insert(key, item);
        return;
    };
    let tail: Vec<(Key, Item)> = keys[split..]
        .iter()
        .filter_map(|k| table.remove_entry(k))
        .collect();
    table.insert(key, item);
    for (k, v) in tail {
        table.insert_formatted(&k, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"# Talking points.

[[points]]
id = "a"
text = "First."   # keep this comment
kind = "key-message"
source = "s"
excerpt = "x"
status = "approved"
tags = ["one", "two"]

[[points]]
# a comment inside the second point
id = "b"
text = 'Literal "quoted".'
kind = "background"
threats = [
    "t1",  # first
    "t2",
]
source = "s"
excerpt = "y"
status = "draft"
retired_reason = "old"
tags = []
"#;

    fn diff(a: &str, b: &str) -> Vec<(String, String)> {
        let (al, bl): (Vec<_>, Vec<_>) = (a.lines().collect(), b.lines().collect());
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < al.len() || j < bl.len() {
            if i < al.len() && j < bl.len() && al[i] == bl[j] {
                i += 1;
                j += 1;
                continue;
            }
            let take_a = i < al.len() && !bl[j..].contains(&al[i]);
            let take_b = j < bl.len() && !al[i..].contains(&bl[j]);
            let left = if take_a || !take_b {
                al.get(i).copied().unwrap_or("")
            } else {
                ""
            };
            let right = if take_b || !take_a {
                bl.get(j).copied().unwrap_or("")
            } else {
                ""
            };
            out.push((left.to_owned(), right.to_owned()));
            if take_a || !take_b {
                i += 1;
            }
            if take_b || !take_a {
                j += 1;
            }
        }
        out
    }

    #[test]
    fn replacing_a_value_keeps_its_comment() {
        let out = apply(
            FILE,
            "a",
            &[(Field::Text, Some(FieldValue::Text("New \"line\".".into())))],
        )
        .unwrap();
        assert_eq!(
            diff(FILE, &out),
            [(
                "text = \"First.\"   # keep this comment".to_owned(),
                "text = \"New \\\"line\\\".\"   # keep this comment".to_owned()
            )]
        );
    }

    #[test]
    fn missing_keys_go_where_the_schema_puts_them() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let action = Action::MarkReviewed {
            reviewer: "anna".into(),
            date,
        };
        let out = apply(FILE, "a", &action.changes().unwrap()).unwrap();
        assert!(
            out.contains("status = \"approved\"\nreviewed = 2026-11-24\nreviewer = \"anna\"\ntags = [\"one\", \"two\"]\n"),
            "{out}"
        );
        assert_eq!(diff(FILE, &out).len(), 2, "{:?}", diff(FILE, &out));
    }

    #[test]
    fn an_unchanged_value_keeps_its_quoting() {
        let out = apply(
            FILE,
            "b",
            &[(Field::Text, Some(FieldValue::Text("Literal \"quoted\".".into())))],
        )
        .unwrap();
        assert_eq!(out, FILE);
    }

    #[test]
    fn multi_line_lists_stay_multi_line() {
        let out = apply(
            FILE,
            "b",
            &[(
                Field::Threats,
                Some(FieldValue::List(vec!["t1".into(), "t3".into()])),
            )],
        )
        .unwrap();
        assert!(
            out.contains("threats = [\n    \"t1\",  # first\n    \"t3\",\n]\n"),
            "{out}"
        );
    }

    #[test]
    fn removing_a_key_removes_only_its_line() {
        let out = apply(FILE, "b", &Action::ToDraft.changes().unwrap()).unwrap();
        assert_eq!(
            diff(FILE, &out),
            [("retired_reason = \"old\"".to_owned(), String::new())]
        );
    }

    #[test]
    fn points_are_found_by_id_and_problems_named() {
        assert_eq!(
            apply(FILE, "zzz", &[]).unwrap_err(),
            EditError::Missing("zzz".into())
        );
        let twice = format!("{FILE}\n[[points]]\nid = \"a\"\n");
        assert_eq!(
            apply(&twice, "a", &[]).unwrap_err(),
            EditError::Duplicate("a".into())
        );
        let broken = "[[points]]\nid = \"a\"\ntext = \"unterminated\n";
        let e = apply(broken, "a", &[]).unwrap_err();
        assert!(
            matches!(
                e,
                EditError::NotToml {
                    at: LineCol { line: 3, .. },
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(point_ids(FILE).unwrap(), ["a", "b"]);
    }

    #[test]
    fn invalid_actions_are_refused_with_a_reason() {
        assert!(Action::Retire { reason: " ".into() }.changes().is_err());
        assert!(Action::SetText(String::new()).changes().is_err());
        assert!(Action::SetTags(vec![String::new()]).changes().is_err());
        let e = Action::SetLinks {
            threats: vec!["Not An Id".into()],
            partners: vec![],
        }
        .changes()
        .unwrap_err();
        assert!(e.contains("`Not An Id` is not an id"), "{e}");
    }

    #[test]
    fn an_unusual_value_is_restored_as_written() {
        let text = "[[points]]\nid = \"a\"\nreviewer = 42\n";
        let seen = read_fields(text, "a", &[Field::Reviewer]).unwrap();
        assert_eq!(seen[0].1, Some(FieldValue::Other("42".into())));
        let changed = apply(
            text,
            "a",
            &[(Field::Reviewer, Some(FieldValue::Text("anna".into())))],
        )
        .unwrap();
        assert_eq!(apply(&changed, "a", &seen).unwrap(), text);
    }

    #[test]
    fn sameness_ignores_spelling_of_empty_lists_and_dates() {
        assert!(same(None, Some(&FieldValue::List(vec![]))));
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert!(same(
            Some(&FieldValue::Date(d)),
            Some(&FieldValue::Text("2026-01-02".into()))
        ));
        assert!(!same(Some(&FieldValue::Text("a".into())), None));
    }
}
