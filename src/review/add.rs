//! New talking points: checked exactly as `briefpack check` would check them, then
//! appended to `points.toml` without touching any line already there.

use super::edit::basic_string;
use super::writeback::WriteError;
use crate::diag::LineCol;
use crate::library::{Checked, DataSource, Kind, Library, PointKind, Status};
use toml_edit::{Array, DocumentMut, Item, Value};

/// A point appended to the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub id: String,
    /// The line of its `[[points]]` header in points.toml.
    pub line: usize,
}

/// A new point as the review screen's form collects it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPoint {
    pub id: String,
    pub text: String,
    pub kind: PointKind,
    pub threats: Vec<String>,
    pub partners: Vec<String>,
    pub source: String,
    pub excerpt: String,
    pub owner: Option<String>,
    pub tags: Vec<String>,
}

impl NewPoint {
    /// The point as a `[[points]]` table in the file's layout; a new point starts as a
    /// draft, so it comes up for review before it is offered in a brief.
    pub fn to_toml(&self) -> String {
        let mut doc = DocumentMut::new();
        let t = doc.as_table_mut();
        let list = |v: &[String]| {
            let mut a: Array = v.iter().map(|s| basic_string(s)).collect();
            a.fmt();
            Item::Value(Value::Array(a))
        };
        t.insert("id", Item::Value(basic_string(&self.id)));
        t.insert("text", Item::Value(basic_string(&self.text)));
        t.insert("kind", Item::Value(basic_string(self.kind.as_str())));
        t.insert("threats", list(&self.threats));
        t.insert("partners", list(&self.partners));
        t.insert("source", Item::Value(basic_string(&self.source)));
        t.insert("excerpt", Item::Value(basic_string(&self.excerpt)));
        t.insert("status", Item::Value(basic_string(Status::Draft.as_str())));
        if let Some(owner) = self.owner.as_deref().filter(|o| !o.trim().is_empty()) {
            t.insert("owner", Item::Value(basic_string(owner)));
        }
        t.insert("tags", list(&self.tags));
        format!("[[points]]\n{doc}")
    }
}

/// Builds the file text with `input` (one point: a bare table, or one `[[points]]`
/// table) appended to `current`, and checks the library it makes. `before` is the
/// library loaded with `current`. Problems in the point are reported at their line and
/// column in `input`, named `input_name`.
pub(super) fn append(
    current: &str,
    input: &str,
    input_name: &str,
    source: &DataSource,
    before: &Checked,
) -> Result<(String, Added), WriteError> {
    let refuse = |msg: String| WriteError::Refused(msg);
    // Editors on Windows start a UTF-8 file with a byte-order mark; TOML has no
    // place for one, and it is no part of the point.
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let doc: DocumentMut = input.parse().map_err(|e: toml_edit::TomlError| {
        let at = LineCol::at(input, e.span().map_or(0, |s| s.start));
        refuse(format!(
            "{input_name}:{}:{}: the new point is not valid TOML: {}",
            at.line,
            at.col,
            one_line(e.message())
        ))
    })?;
    let root = doc.as_table();
    let bare = match root.get("points") {
        None if root.is_empty() => {
            return Err(refuse(format!(
                "{input_name} holds no point; give one as a TOML table with `id = ...` or under `[[points]]`"
            )))
        }
        None => true,
        Some(item) => {
            let count = item.as_array_of_tables().map(toml_edit::ArrayOfTables::len);
            if root.len() > 1 || count.is_none() {
                return Err(refuse(format!(
                    "{input_name} must hold one point, either as a bare table or as one `[[points]]` table, and nothing else"
                )));
            }
            if count != Some(1) {
                return Err(refuse(format!(
                    "{input_name} holds {} points; add one point at a time",
                    count.unwrap_or(0)
                )));
            }
            false
        }
    };
    let table = if bare {
        Some(root)
    } else {
        root.get("points")
            .and_then(Item::as_array_of_tables)
            .and_then(|a| a.get(0))
    };
    let id = table
        .and_then(|t| t.get("id"))
        .and_then(Item::as_str)
        .map(str::to_owned);
    // A point added by hand is a draft: only review approves it, and only review
    // says who reviewed it and when; else a point could skip review for ever.
    let has = |key: &str| table.is_some_and(|t| t.contains_key(key));
    if let Some(status) = table.and_then(|t| t.get("status")) {
        if status.as_str() != Some(Status::Draft.as_str()) {
            return Err(refuse(format!(
                "{input_name}:{}:1: a new point is a draft; leave `status` out (only review approves or retires a point)",
                key_line(input, "status")
            )));
        }
    }
    for key in ["reviewed", "reviewer"] {
        if has(key) {
            return Err(refuse(format!(
                "{input_name}:{}:1: `{key}` is set by review, not by hand; leave it out",
                key_line(input, key)
            )));
        }
    }
    let status_line = if has("status") {
        String::new()
    } else {
        format!("status = \"{}\"\n", Status::Draft.as_str())
    };

    if before.errors() > 0 {
        return Err(refuse(format!(
            "the library already has {} problem{}, so no point was added; `briefpack check` lists them",
            before.errors(),
            if before.errors() == 1 { "" } else { "s" }
        )));
    }

    // Leading blank lines of the input are dropped and counted, so positions in the
    // file map back to the input's own lines.
    let skipped = input.lines().take_while(|l| l.trim().is_empty()).count();
    let body: String = input.lines().skip(skipped).collect::<Vec<_>>().join("\n");
    let header = if bare { "[[points]]\n" } else { "" };
    let separator = if current.is_empty() || current.ends_with("\n\n") {
        ""
    } else if current.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let prefix = format!("{current}{separator}");
    let new_text = format!("{prefix}{header}{}\n{status_line}", body.trim_end());
    let header_line = prefix.matches('\n').count() + 1;
    let first_input_line = header_line + usize::from(bare);

    let after = Library::load_with(source, &[(Kind::Point, &new_text)]).map_err(WriteError::Io)?;
    let points_file = source.display_file(Kind::Point);
    let errors: Vec<_> = after.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        // Every problem, one a line, so all can be fixed in one go.
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let place = match e.pos {
                    Some(p) if e.file == points_file && p.line >= header_line => {
                        let (line, col) = if p.line < first_input_line {
                            (1, 1) // the header this function added: the point as a whole
                        } else {
                            (p.line - first_input_line + 1 + skipped, p.col)
                        };
                        format!("{input_name}:{line}:{col}")
                    }
                    Some(p) => format!("{}:{}:{}", e.file, p.line, p.col),
                    None => e.file.clone(),
                };
                format!("{place}: {}", e.message)
            })
            .collect();
        return Err(refuse(format!("{}; the point was not added", lines.join("\n"))));
    }
    let id = id.ok_or_else(|| refuse(format!("{input_name}: the new point has no `id`")))?;
    Ok((
        new_text,
        Added {
            id,
            line: header_line,
        },
    ))
}

/// The line (from 1) where `key` is set in `input`, for a message; 1 if not found.
fn key_line(input: &str, key: &str) -> usize {
    input
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

fn one_line(msg: &str) -> String {
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}
