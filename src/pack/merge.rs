//! Three-way merge of packs: a session's changes re-applied on top of the pack
//! file as someone else saved it meanwhile, and the differences between two
//! packs in words, for the dialog that asks what to do.
//!
//! Header fields merge whole: a field only one side changed takes that side's
//! value; a field both changed to different values is a conflict, and the merge
//! keeps the file's value (the user's is shown, and "overwrite" keeps it).
//! Selections merge as ordered sets: picks and unpicks from both sides are kept;
//! a reorder applies when only one side reordered.

use super::{Field, Pack};
use crate::library::Kind;

/// The kinds a pack selects, in the order the dialog lists them.
const KINDS: [Kind; 4] = [Kind::Threat, Kind::Partner, Kind::Point, Kind::Person];

/// What came of a merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The file's pack with the session's changes on top; the file's value
    /// wherever both changed.
    pub pack: Pack,
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    pub(crate) fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Something both sides changed differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// "Purpose", "the order of points".
    pub what: String,
    pub mine: String,
    pub theirs: String,
}

/// `mine` and `theirs` both started from `base`: `mine`'s changes applied to `theirs`.
pub(crate) fn merge(base: &Pack, mine: &Pack, theirs: &Pack) -> Merged {
    let mut pack = theirs.clone();
    let mut conflicts = Vec::new();
    for field in Field::ALL {
        let (b, m, t) = (
            base.field_text(field),
            mine.field_text(field),
            theirs.field_text(field),
        );
        if m == b || m == t {
            continue;
        }
        if t == b {
            // Text that came out of a pack always reads back; should it not, the
            // file's value stays, as in a conflict.
            if pack.set_field(field, &m).is_ok() {
                continue;
            }
        }
        conflicts.push(Conflict {
            what: field.label().to_owned(),
            mine: shown(field, &m),
            theirs: shown(field, &t),
        });
    }
    for kind in KINDS {
        let (Some(b), Some(m), Some(t)) = (
            base.selection.ids(kind),
            mine.selection.ids(kind),
            theirs.selection.ids(kind),
        ) else {
            continue;
        };
        let (ids, order_conflict) = merge_ids(b, m, t);
        if order_conflict {
            conflicts.push(Conflict {
                what: format!("the order of {}", kind.plural()),
                mine: m.join(", "),
                theirs: t.join(", "),
            });
        }
        if let Some(slot) = pack.selection.ids_mut(kind) {
            *slot = ids;
        }
    }
    Merged { pack, conflicts }
}

/// One kind's picks: `theirs` less what `mine` unpicked, plus what `mine` picked
/// (after the pick it follows in `mine`), in `mine`'s order when only `mine`
/// reordered. True when both reordered the picks they share, differently.
fn merge_ids(base: &[String], mine: &[String], theirs: &[String]) -> (Vec<String>, bool) {
    let has = |v: &[String], id: &String| v.contains(id);
    let mut out: Vec<String> = theirs
        .iter()
        .filter(|id| has(mine, id) || !has(base, id))
        .cloned()
        .collect();
    let shared = |v: &[String]| -> Vec<String> {
        v.iter()
            .filter(|id| has(base, id) && has(mine, id) && has(theirs, id))
            .cloned()
            .collect()
    };
    let (in_base, in_mine, in_theirs) = (shared(base), shared(mine), shared(theirs));
    let mut conflict = false;
    if in_mine != in_base {
        if in_theirs == in_base {
            let mut order = in_mine.into_iter();
            for slot in &mut out {
                if in_base.contains(slot) {
                    if let Some(next) = order.next() {
                        *slot = next;
                    }
                }
            }
        } else if in_theirs != in_mine {
            conflict = true;
        }
    }
    for (i, id) in mine.iter().enumerate() {
        if has(base, id) || has(&out, id) {
            continue;
        }
        let at = mine[..i]
            .iter()
            .rev()
            .find_map(|prev| out.iter().position(|x| x == prev))
            .map_or(0, |p| p + 1);
        out.insert(at, id.clone());
    }
    (out, conflict)
}

/// How `from` became `to`, one line per change, for people.
pub(crate) fn differences(from: &Pack, to: &Pack) -> Vec<String> {
    let mut out = Vec::new();
    for field in Field::ALL {
        let (a, b) = (from.field_text(field), to.field_text(field));
        if a != b {
            out.push(format!(
                "{}: {} → {}",
                field.label(),
                shown(field, &a),
                shown(field, &b)
            ));
        }
    }
    for kind in KINDS {
        let (Some(a), Some(b)) = (from.selection.ids(kind), to.selection.ids(kind)) else {
            continue;
        };
        let added: Vec<&str> = b
            .iter()
            .filter(|id| !a.contains(id))
            .map(String::as_str)
            .collect();
        let removed: Vec<&str> = a
            .iter()
            .filter(|id| !b.contains(id))
            .map(String::as_str)
            .collect();
        let name = kind.plural();
        if !added.is_empty() {
            out.push(format!("{name} picked: {}", added.join(", ")));
        }
        if !removed.is_empty() {
            out.push(format!("{name} unpicked: {}", removed.join(", ")));
        }
        let kept_a: Vec<&String> = a.iter().filter(|id| b.contains(id)).collect();
        let kept_b: Vec<&String> = b.iter().filter(|id| a.contains(id)).collect();
        if kept_a != kept_b {
            out.push(format!("{name} reordered"));
        }
    }
    out
}

/// A value as the dialog quotes it: on one line, long text shortened.
fn shown(field: Field, text: &str) -> String {
    const MAX: usize = 60;
    let one = if field.is_list() {
        text.lines().collect::<Vec<_>>().join(" | ")
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if one.is_empty() {
        return "(empty)".to_owned();
    }
    let one = crate::clean::line(&one).into_owned();
    if one.chars().count() > MAX {
        let cut: String = one.chars().take(MAX - 1).collect();
        format!("“{cut}…”")
    } else {
        format!("“{one}”")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn pack(title: &str, purpose: &str, points: &[&str]) -> Pack {
        let mut p = Pack::new();
        p.meeting.title = title.to_owned();
        p.memo.purpose = purpose.to_owned();
        p.selection.points = ids(points);
        p
    }

    #[test]
    fn changes_to_different_fields_and_picks_all_survive() {
        let base = pack("Summit", "To brief.", &["a", "b", "c"]);
        // I retitle, unpick b and pick d after a.
        let mine = pack("Informal summit", "To brief.", &["a", "d", "c"]);
        // They change the purpose, pick e at the end and unpick c.
        let theirs = pack("Summit", "To brief the President.", &["a", "b", "e"]);
        let m = merge(&base, &mine, &theirs);
        assert!(m.is_clean(), "{:?}", m.conflicts);
        assert_eq!(m.pack.meeting.title, "Informal summit");
        assert_eq!(m.pack.memo.purpose, "To brief the President.");
        assert_eq!(m.pack.selection.points, ids(&["a", "d", "e"]));
    }

    #[test]
    fn a_field_both_changed_keeps_theirs_and_says_so() {
        let base = pack("Summit", "", &[]);
        let mine = pack("Mine", "", &[]);
        let theirs = pack("Theirs", "", &[]);
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.pack.meeting.title, "Theirs");
        assert_eq!(
            m.conflicts,
            [Conflict {
                what: "Meeting title".into(),
                mine: "“Mine”".into(),
                theirs: "“Theirs”".into()
            }]
        );
        // The same change on both sides is no conflict.
        assert!(merge(&base, &mine, &mine).is_clean());
    }

    #[test]
    fn one_sided_reorders_apply_and_two_sided_ones_conflict() {
        let base = pack("", "", &["a", "b", "c"]);
        let mine = pack("", "", &["c", "a", "b"]);
        let theirs = pack("", "", &["a", "b", "c", "x"]);
        let m = merge(&base, &mine, &theirs);
        assert!(m.is_clean());
        assert_eq!(m.pack.selection.points, ids(&["c", "a", "b", "x"]));
        let theirs = pack("", "", &["b", "a", "c"]);
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.pack.selection.points, ids(&["b", "a", "c"]));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].what, "the order of points");
    }

    #[test]
    fn differences_read_as_sentences() {
        let a = pack("Summit", "", &["a", "b"]);
        let mut b = pack("Summit in Astana", "", &["b", "a", "c"]);
        b.memo.distribution = ids(&["Office", "Ministry"]);
        assert_eq!(
            differences(&a, &b),
            [
                "Meeting title: “Summit” → “Summit in Astana”",
                "Distribution: (empty) → “Office | Ministry”",
                "points picked: c",
                "points reordered",
            ]
        );
        assert!(differences(&a, &a).is_empty());
    }
}
