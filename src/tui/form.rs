//! The memo header form: which field is under the cursor (the one being typed is
//! the app's `Layer::Edit`).
//! Validation itself is the pack's (`Pack::set_field`, `pack::parse_date`).

use crate::pack::{self, Field, Pack};

/// How list items are separated when a list is edited on one line.
pub(crate) const LIST_SEP: &str = " | ";

#[derive(Clone, Debug, Default)]
pub struct Form {
    pub cursor: usize,
}

impl Form {
    pub(crate) fn field(&self) -> Field {
        Field::ALL[self.cursor.min(Field::ALL.len() - 1)]
    }
}

/// A field's value on one line, as the form shows and edits it.
pub(crate) fn inline_text(p: &Pack, field: Field) -> String {
    let text = p.field_text(field);
    if field.is_list() {
        text.lines().collect::<Vec<_>>().join(LIST_SEP)
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Turns a line typed in the form back into the text `Pack::set_field` reads.
pub(crate) fn from_inline(field: Field, line: &str) -> String {
    if field.is_list() {
        line.split('|').map(str::trim).collect::<Vec<_>>().join("\n")
    } else {
        line.to_owned()
    }
}

/// A message about what is typed so far, for fields checked as they are typed.
pub(crate) fn live_check(field: Field, line: &str) -> Option<String> {
    if field.is_date() {
        return pack::parse_date(line).err();
    }
    if field == Field::Copy {
        let mut probe = Pack::new();
        return probe.set_field(field, line).err();
    }
    None
}

/// The hint under the form for a field.
pub(crate) fn hint(field: Field) -> &'static str {
    match field {
        Field::MeetingDate | Field::MemoDate => "a date, 2011-08-12 or 12 August 2011; empty for none",
        Field::Status => "Enter switches between draft (prints a DRAFT marking) and final",
        Field::Copy => "the copy number, from 1",
        Field::Distribution | Field::PreparatoryWork | Field::Proposals | Field::Objectives => {
            "items separated by | on one line; E edits one item per line in $EDITOR"
        }
        Field::Purpose | Field::Format => "one paragraph; E edits it in $EDITOR",
        _ => "Enter to edit, E to edit in $EDITOR",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_travel_through_one_line_and_back() {
        let mut p = Pack::new();
        p.set_field(
            Field::Distribution,
            "Office of the President\nMinistry of Foreign Affairs",
        )
        .unwrap();
        let line = inline_text(&p, Field::Distribution);
        assert_eq!(line, "Office of the President | Ministry of Foreign Affairs");
        let mut q = Pack::new();
        q.set_field(Field::Distribution, &from_inline(Field::Distribution, &line))
            .unwrap();
        assert_eq!(q.memo.distribution, p.memo.distribution);
    }

    #[test]
    fn dates_are_checked_while_typed() {
        assert!(live_check(Field::MemoDate, "2011-0").is_some());
        assert!(live_check(Field::MemoDate, "2011-02-30")
            .unwrap()
            .contains("not a day"));
        assert_eq!(live_check(Field::MemoDate, "2011-02-28"), None);
        assert_eq!(live_check(Field::MeetingTitle, "anything"), None);
        assert!(live_check(Field::Copy, "0").is_some());
    }
}
