//! Undo and redo on the main screen: the pack as it was before each change (a
//! pick, a reorder, a header edit, a restored draft), newest last. A pack is a
//! few hundred ids and a dozen fields, so whole copies are simpler than inverse
//! operations and cannot drift from what the change did.

use crate::pack::Pack;

/// How many changes back `u` can go; older ones are forgotten first.
const DEPTH: usize = 500;

#[derive(Debug, Default)]
pub(crate) struct History {
    undo: Vec<(Pack, String)>,
    redo: Vec<(Pack, String)>,
}

impl History {
    /// Records `before`, the pack as it was before a change described as `what`;
    /// a new change forgets what was undone.
    pub(crate) fn record(&mut self, before: Pack, what: String) {
        if self.undo.len() == DEPTH {
            self.undo.remove(0);
        }
        self.undo.push((before, what));
        self.redo.clear();
    }

    /// The pack before the last change, given `now` (kept for redo), and what
    /// that change was.
    pub(crate) fn undo(&mut self, now: Pack) -> Option<(Pack, String)> {
        let (before, what) = self.undo.pop()?;
        self.redo.push((now, what.clone()));
        Some((before, what))
    }

    /// Whether something undone can be redone.
    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The pack after the last undone change, given `now` (kept for undo).
    pub(crate) fn redo(&mut self, now: Pack) -> Option<(Pack, String)> {
        let (after, what) = self.redo.pop()?;
        self.undo.push((now, what.clone()));
        Some((after, what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Kind;

    fn with(ids: &[&str]) -> Pack {
        let mut p = Pack::new();
        for id in ids {
            p.selection.toggle(Kind::Point, id);
        }
        p
    }

    #[test]
    fn undo_then_redo_walks_back_and_forth_and_a_new_change_forgets_redo() {
        let mut h = History::default();
        h.record(with(&[]), "pick a".into());
        h.record(with(&["a"]), "pick b".into());
        let (p, what) = h.undo(with(&["a", "b"])).unwrap();
        assert_eq!((p, what.as_str()), (with(&["a"]), "pick b"));
        let (p, _) = h.undo(with(&["a"])).unwrap();
        assert_eq!(p, with(&[]));
        assert!(h.undo(with(&[])).is_none());
        let (p, what) = h.redo(with(&[])).unwrap();
        assert_eq!((p, what.as_str()), (with(&["a"]), "pick a"));
        h.record(with(&["a"]), "pick c".into());
        assert!(h.redo(with(&["a", "c"])).is_none());
    }

    #[test]
    fn depth_is_bounded() {
        let mut h = History::default();
        for i in 0..DEPTH + 10 {
            h.record(Pack::new(), format!("{i}"));
        }
        let mut n = 0;
        while h.undo(Pack::new()).is_some() {
            n += 1;
        }
        assert_eq!(n, DEPTH);
    }
}
