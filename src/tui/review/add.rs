//! The form for a new talking point. It only collects what is typed; the point is
//! checked and appended by `PointsStore::add_point`, exactly as `briefpack add point`.

use super::links::split_list;
use crate::library::PointKind;
use crate::review::NewPoint;
use crossterm::event::{KeyCode, KeyEvent};

use crate::tui::input::LineInput;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddField {
    Text,
    Id,
    Kind,
    Threats,
    Partners,
    Source,
    Excerpt,
    Owner,
    Tags,
}

impl AddField {
    /// Text first: the id is suggested from it.
    pub(crate) const ALL: [AddField; 9] = [
        AddField::Text,
        AddField::Id,
        AddField::Kind,
        AddField::Threats,
        AddField::Partners,
        AddField::Source,
        AddField::Excerpt,
        AddField::Owner,
        AddField::Tags,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            AddField::Text => "Text",
            AddField::Id => "Id",
            AddField::Kind => "Kind",
            AddField::Threats => "Threats",
            AddField::Partners => "Partners",
            AddField::Source => "Source",
            AddField::Excerpt => "Excerpt",
            AddField::Owner => "Owner",
            AddField::Tags => "Tags",
        }
    }

    /// The key this field becomes in points.toml, to tell which field a problem is in.
    pub(crate) fn key(self) -> &'static str {
        match self {
            AddField::Text => "text",
            AddField::Id => "id",
            AddField::Kind => "kind",
            AddField::Threats => "threats",
            AddField::Partners => "partners",
            AddField::Source => "source",
            AddField::Excerpt => "excerpt",
            AddField::Owner => "owner",
            AddField::Tags => "tags",
        }
    }

    pub(crate) fn hint(self) -> &'static str {
        match self {
            AddField::Text => "the line to take, ready to say",
            AddField::Id => "lowercase words joined by hyphens; suggested from the text",
            AddField::Kind => "Space or ← → chooses",
            AddField::Threats => "threat ids, separated by commas",
            AddField::Partners => "partner ids, separated by commas",
            AddField::Source => "the id of a source in sources.toml",
            AddField::Excerpt => "a verbatim quote of the source",
            AddField::Owner => "who keeps this point current (optional)",
            AddField::Tags => "tags, separated by commas",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddForm {
    pub cursor: usize,
    /// One input per field of `AddField::ALL`; the kind's is unused.
    pub inputs: [LineInput; 9],
    pub kind: usize,
    /// Esc was pressed once with something typed; a second Esc drops it.
    pub discard_armed: bool,
    /// Why the last Ctrl-S was refused: every problem, each with its field.
    pub problems: Vec<String>,
}

impl AddForm {
    pub(crate) fn field(&self) -> AddField {
        AddField::ALL[self.cursor.min(AddField::ALL.len() - 1)]
    }

    pub(crate) fn value(&self, field: AddField) -> &str {
        let i = AddField::ALL.iter().position(|f| *f == field).unwrap_or(0);
        &self.inputs[i].text
    }

    pub(crate) fn kind(&self) -> PointKind {
        PointKind::ALL
            .get(self.kind)
            .copied()
            .unwrap_or(PointKind::KeyMessage)
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.inputs.iter().all(|i| i.text.trim().is_empty())
    }

    pub(crate) fn go_to(&mut self, field: AddField) {
        if let Some(i) = AddField::ALL.iter().position(|f| *f == field) {
            self.cursor = i;
        }
    }

    /// Moves between fields; leaving the text with no id yet suggests one.
    pub(crate) fn step(&mut self, forward: bool) {
        let last = AddField::ALL.len() - 1;
        if self.field() == AddField::Text && forward && self.value(AddField::Id).is_empty() {
            let id = suggest_id(self.value(AddField::Text));
            self.inputs[1] = LineInput::new(&id);
        }
        self.cursor = if forward {
            (self.cursor + 1).min(last)
        } else {
            self.cursor.saturating_sub(1)
        };
    }

    /// A typing key for the current field; returns whether it was one.
    pub(crate) fn key(&mut self, key: KeyEvent) -> bool {
        if self.field() == AddField::Kind {
            let n = PointKind::ALL.len();
            match key.code {
                KeyCode::Char(' ') | KeyCode::Right => self.kind = (self.kind + 1) % n,
                KeyCode::Left => self.kind = (self.kind + n - 1) % n,
                _ => return false,
            }
            return true;
        }
        let changed = self.inputs[self.cursor].key(key);
        if changed {
            self.discard_armed = false;
        }
        changed
    }

    pub(crate) fn to_point(&self) -> NewPoint {
        let v = |f| self.value(f).trim().to_owned();
        let owner = v(AddField::Owner);
        NewPoint {
            id: v(AddField::Id),
            text: v(AddField::Text),
            kind: self.kind(),
            threats: split_list(self.value(AddField::Threats)),
            partners: split_list(self.value(AddField::Partners)),
            source: v(AddField::Source),
            excerpt: v(AddField::Excerpt),
            owner: (!owner.is_empty()).then_some(owner),
            tags: split_list(self.value(AddField::Tags)),
        }
    }
}

/// Tab in an id field: the id being typed, completed among `ids` as far as
/// they agree (whole, with `, ` after it, when one fits). `None` when there is
/// nothing to complete, so Tab goes on to the next field.
pub(crate) fn complete_id<'a>(line: &str, ids: impl Iterator<Item = &'a str>) -> Option<String> {
    let word = super::links::last_word(line);
    if word.is_empty() {
        return None;
    }
    let fits: Vec<&str> = ids.filter(|id| id.starts_with(word)).collect();
    let head = &line[..line.len() - word.len()];
    match fits.as_slice() {
        [] => None,
        [one] if *one == word => None,
        [one] => Some(format!("{head}{one}")),
        several => {
            let common = crate::tui::complete::common_prefix(several.iter().copied());
            (common.len() > word.len()).then(|| format!("{head}{common}"))
        }
    }
}

/// A kebab-case id from the first words of a text: "Operation Channel is..." ->
/// `operation-channel-is-...`; the user can change it.
pub(crate) fn suggest_id(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect();
    words.join("-")
}

/// Which field a refusal of `add_point` is about, from its `NAME:LINE:COL: ` prefix
/// (the line in the TOML built from the form), and the message without that prefix.
pub(crate) fn locate(message: &str, name: &str, toml: &str) -> (Option<AddField>, String) {
    let Some(rest) = message.strip_prefix(&format!("{name}:")) else {
        return (None, message.to_owned());
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(line), Some(_col), Some(msg)) = (parts.next(), parts.next(), parts.next()) else {
        return (None, message.to_owned());
    };
    let Ok(line) = line.parse::<usize>() else {
        return (None, message.to_owned());
    };
    let key = toml
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.split_once('='))
        .map(|(k, _)| k.trim());
    let field = key.and_then(|k| AddField::ALL.iter().copied().find(|f| f.key() == k));
    let msg = msg.trim();
    match field {
        Some(f) => (Some(f), format!("{}: {msg}", f.label())),
        None => (None, msg.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_suggested_from_the_text() {
        assert_eq!(
            suggest_id("Operation Channel: a permanent, regional project!"),
            "operation-channel-a-permanent-regional"
        );
        assert_eq!(suggest_id("Мир"), "");
    }

    #[test]
    fn tab_completes_the_id_being_typed_as_far_as_the_ids_agree() {
        let ids = ["drug-trafficking", "drug-precursors", "terrorism"];
        let complete = |line: &str| complete_id(line, ids.iter().copied());
        assert_eq!(
            complete("terrorism, ter").as_deref(),
            Some("terrorism, terrorism")
        );
        assert_eq!(complete("dr").as_deref(), Some("drug-"));
        // As far as they go already, or nothing fits, or nothing typed: Tab moves on.
        assert_eq!(complete("drug-"), None);
        assert_eq!(complete("cyber"), None);
        assert_eq!(complete("terrorism, "), None);
        assert_eq!(complete("terrorism"), None);
    }

    #[test]
    fn a_refusal_names_the_field_it_is_about() {
        let mut form = AddForm::default();
        form.inputs[0] = LineInput::new("Text.");
        form.inputs[1] = LineInput::new("x");
        let toml = form.to_point().to_toml();
        let line = toml.lines().position(|l| l.starts_with("source")).unwrap() + 1;
        let (field, msg) = locate(
            &format!("new point:{line}:10: unknown source id `s`; the point was not added"),
            "new point",
            &toml,
        );
        assert_eq!(field, Some(AddField::Source));
        assert_eq!(msg, "Source: unknown source id `s`; the point was not added");
        let (field, msg) = locate("the library already has 2 problems", "new point", &toml);
        assert_eq!(
            (field, msg.as_str()),
            (None, "the library already has 2 problems")
        );
    }
}
