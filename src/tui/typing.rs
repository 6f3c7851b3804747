//! What is being typed, for the draft: the header field open in the form, a
//! point's text in the review editor, the new-point form. A dropped link then
//! loses nothing, and the next start reopens the field with the text and the
//! cursor where they were.

use super::app::{App, Layer, Screen};
use super::form;
use super::input::LineInput;
use super::review::add::AddForm;
use super::review::{Ask, AskFor, Editing, Mode};
use crate::draft::{Typing, TypingPlace};
use crate::library::PointKind;
use crate::pack::Field;

/// The new-point form's kind travels in its (otherwise unused) input's place.
const KIND_SLOT: usize = 2;

impl App {
    /// Text typed and not yet entered, if any.
    pub(crate) fn typing(&self) -> Option<Typing> {
        if self.screen == Screen::Review {
            return self.review.as_ref().and_then(|r| review_typing(&r.mode, &r.lib));
        }
        let input = self.editing()?;
        let field = self.form.field();
        (input.text != form::inline_text(&self.pack, field)).then(|| Typing {
            place: TypingPlace::Header,
            target: field.key().to_owned(),
            texts: vec![input.text.clone()],
            focus: 0,
            cursor: input.cursor,
        })
    }

    /// Reopens what a restored draft was typing.
    pub(super) fn resume_typing(&mut self, t: &Typing) {
        match t.place {
            TypingPlace::Header => {
                let Some(i) = Field::ALL.iter().position(|f| f.key() == t.target) else {
                    return;
                };
                self.screen = Screen::Form;
                self.form.cursor = i;
                self.layer = Layer::Edit(input(t.texts.first(), t.cursor));
            }
            TypingPlace::PointText => {
                self.open_review();
                let Some(review) = self.review.as_mut() else {
                    return;
                };
                let original = review
                    .lib
                    .point(&t.target)
                    .map(|p| p.text.clone())
                    .unwrap_or_default();
                review.mode = Mode::Edit(Editing {
                    point: t.target.clone(),
                    input: input(t.texts.first(), t.cursor),
                    original,
                });
            }
            TypingPlace::NewPoint => {
                self.open_review();
                let Some(review) = self.review.as_mut() else {
                    return;
                };
                let mut form = AddForm::default();
                for (slot, text) in form.inputs.iter_mut().zip(&t.texts) {
                    *slot = LineInput::new(text);
                }
                let kind = t.texts.get(KIND_SLOT).map(String::as_str);
                form.kind = PointKind::ALL
                    .iter()
                    .position(|k| Some(k.as_str()) == kind)
                    .unwrap_or(0);
                form.inputs[KIND_SLOT] = LineInput::default();
                form.cursor = t.focus.min(form.inputs.len() - 1);
                let at = &mut form.inputs[form.cursor];
                at.cursor = t.cursor.min(at.text.chars().count());
                review.mode = Mode::Add(Box::new(form));
            }
            TypingPlace::Question => {
                let Some((what, point)) = t.target.rsplit_once(' ') else {
                    return;
                };
                let Some(what) = ASKS.iter().find(|(_, name)| *name == what).map(|(a, _)| *a) else {
                    return;
                };
                self.open_review();
                let Some(review) = self.review.as_mut() else {
                    return;
                };
                if let Some(choose) = review.choose_for(what, point, t.texts.first().map(String::as_str)) {
                    review.mode = Mode::Choose(Box::new(choose));
                    return;
                }
                let original = review.asked(what, point).unwrap_or_default();
                review.mode = Mode::Ask(Ask {
                    what,
                    point: point.to_owned(),
                    input: input(t.texts.first(), t.cursor),
                    original,
                });
            }
        }
    }
}

/// The questions' names in a draft.
const ASKS: [(AskFor, &str); 4] = [
    (AskFor::Retire, "retirement reason"),
    (AskFor::Tags, "tags"),
    (AskFor::Links, "links"),
    (AskFor::Reviewer, "reviewer's name"),
];

/// A question's name in a draft.
fn ask_name(what: AskFor) -> &'static str {
    ASKS.iter().find(|(w, _)| *w == what).map_or("answer", |(_, n)| n)
}

fn input(text: Option<&String>, cursor: usize) -> LineInput {
    let mut i = LineInput::new(text.map_or("", String::as_str));
    i.cursor = cursor.min(i.cursor);
    i
}

fn review_typing(mode: &Mode, lib: &crate::library::Library) -> Option<Typing> {
    match mode {
        Mode::Choose(c) if c.picker.marked.as_ref() != Some(&c.original) => Some(Typing {
            place: TypingPlace::Question,
            target: format!("{} {}", ask_name(c.what), c.point),
            texts: vec![c.line(lib)],
            focus: 0,
            cursor: 0,
        }),
        Mode::Edit(e) if e.input.text != e.original => Some(Typing {
            place: TypingPlace::PointText,
            target: e.point.clone(),
            texts: vec![e.input.text.clone()],
            focus: 0,
            cursor: e.input.cursor,
        }),
        Mode::Add(f) if !f.is_blank() => {
            let mut texts: Vec<String> = f.inputs.iter().map(|i| i.text.clone()).collect();
            if let Some(slot) = texts.get_mut(KIND_SLOT) {
                f.kind().as_str().clone_into(slot);
            }
            Some(Typing {
                place: TypingPlace::NewPoint,
                target: String::new(),
                texts,
                focus: f.cursor,
                cursor: f.inputs.get(f.cursor).map_or(0, |i| i.cursor),
            })
        }
        Mode::Ask(a) if a.input.text != a.original => Some(Typing {
            place: TypingPlace::Question,
            target: format!("{} {}", ask_name(a.what), a.point),
            texts: vec![a.input.text.clone()],
            focus: 0,
            cursor: a.input.cursor,
        }),
        Mode::Conflict(c) => review_typing(&c.back, lib),
        _ => None,
    }
}
