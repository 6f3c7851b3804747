//! Whose voice a line is in: the speaker a point names, resolved to a person,
//! member state or organ of the library.

use super::model::Point;
use super::{Kind, Library};

/// A resolved speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Speaker<'a> {
    pub id: &'a str,
    /// "Nikolai Bordyuzha", "Russia", "Collective Security Council".
    pub name: &'a str,
    pub kind: Kind,
    /// The organisation's own voice (its organs and staff); any other speaker's
    /// line is borrowed and must say whose it is.
    pub own: bool,
}

impl Library {
    /// The person, member state or organ with this id.
    pub(crate) fn speaker(&self, id: &str) -> Option<Speaker<'_>> {
        if let Some(p) = self.person(id) {
            return Some(Speaker {
                id: &p.id,
                name: &p.name,
                kind: Kind::Person,
                own: p.staff,
            });
        }
        if let Some(s) = self.state(id) {
            return Some(Speaker {
                id: &s.id,
                name: &s.name,
                kind: Kind::State,
                own: false,
            });
        }
        self.organ(id).map(|o| Speaker {
            id: &o.id,
            name: &o.name,
            kind: Kind::Organ,
            own: true,
        })
    }

    /// A point's speaker, when it has one the library holds.
    pub fn speaker_of(&self, p: &Point) -> Option<Speaker<'_>> {
        p.speaker.as_deref().and_then(|id| self.speaker(id))
    }
}

impl Speaker<'_> {
    /// True when `text` already says who speaks: it names the speaker, or for a
    /// person their surname ("President Medvedev").
    pub fn named_in(&self, text: &str) -> bool {
        let surname = self.name.rsplit(' ').next().unwrap_or(self.name);
        text.contains(self.name) || (self.kind == Kind::Person && text.contains(surname))
    }
}
