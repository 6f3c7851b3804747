//! Saving a pack over the file it came from: only the values that changed are
//! written, in the layout the file already uses; comments, blank lines, key
//! order and the one-id-per-line lists people write by hand all stay.

use super::Pack;
use crate::tomledit::{basic_string, render_list};
use toml_edit::{DocumentMut, Item, Table, Value};

/// `pack` as TOML, laid out as `previous`. `None` when `previous` is not a TOML
/// document with the pack's tables (the caller then writes the plain layout).
pub(crate) fn over(pack: &Pack, previous: &str) -> Option<String> {
    let mut doc: DocumentMut = previous.parse().ok()?;
    let had: Vec<String> = doc.iter().map(|(name, _)| name.to_owned()).collect();
    let fresh: DocumentMut = pack.to_toml().ok()?.parse().ok()?;
    let defaults: DocumentMut = Pack::new().to_toml().ok()?.parse().ok()?;
    for (name, item) in fresh.iter() {
        let new_table = item.as_table()?;
        let default = |key: &str| {
            defaults
                .get(name)
                .and_then(|t| t.get(key))
                .and_then(Item::as_value)
        };
        if !doc.contains_key(name) {
            doc.insert(name, Item::Table(Table::new()));
        }
        let old_table = doc.get_mut(name)?.as_table_like_mut()?;
        for (key, new) in new_table {
            let Some(new) = new.as_value() else {
                continue;
            };
            match old_table.get_mut(key) {
                Some(old) => match old.as_value_mut() {
                    Some(old) if same(old, new) => {}
                    Some(old) => {
                        let mut v = styled(new, Some(old));
                        *v.decor_mut() = old.decor().clone();
                        *old = v;
                    }
                    None => *old = Item::Value(styled(new, None)),
                },
                // A key the file leaves out reads as its default: leave it out.
                None if default(key).is_some_and(|d| same(d, new)) => {}
                None => {
                    old_table.insert(key, Item::Value(styled(new, None)));
                }
            }
        }
        let gone: Vec<String> = old_table
            .iter()
            .map(|(k, _)| k.to_owned())
            .filter(|k| !new_table.contains_key(k))
            .collect();
        for key in gone {
            old_table.remove(&key);
        }
    }
    // A table added for nothing (every value the default) is not written.
    let empty: Vec<String> = doc
        .iter()
        .filter(|(name, item)| !had.iter().any(|h| h == name) && item.as_table().is_some_and(Table::is_empty))
        .map(|(name, _)| name.to_owned())
        .collect();
    for name in empty {
        doc.remove(&name);
    }
    Some(doc.to_string())
}

/// A new value in the file's style: strings quoted as the library's files quote
/// them, lists one line or one item per line as the old list was.
fn styled(new: &Value, old: Option<&Value>) -> Value {
    match new {
        Value::String(s) => basic_string(s.value()),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
            if items.len() == a.len() {
                Value::Array(render_list(&items, old.and_then(Value::as_array)))
            } else {
                new.clone()
            }
        }
        other => {
            let mut v = other.clone();
            v.decor_mut().clear();
            v
        }
    }
}

/// Same value, whatever the quoting, spacing or comments.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{DataSource, Library};

    const EXAMPLE: &str = include_str!("../../examples/sochi-2011-informal-summit.toml");

    fn library() -> Library {
        Library::load(&DataSource::Embedded)
            .unwrap()
            .into_valid()
            .unwrap()
    }

    /// Issue 13, item 5: picking, unpicking and saving kept the pack's comments.
    #[test]
    fn a_save_keeps_comments_and_layout_and_changes_only_what_changed() {
        let lib = library();
        let mut pack = crate::pack::parse(EXAMPLE, "example", &lib).unwrap().pack;
        // Unchanged: byte for byte.
        assert_eq!(over(&pack, EXAMPLE).unwrap(), EXAMPLE);
        // Pick and unpick: the same file.
        let first = pack.selection.points.remove(0);
        pack.selection.points.push(first);
        pack.selection.points.rotate_right(1);
        assert_eq!(over(&pack, EXAMPLE).unwrap(), EXAMPLE);
        // A real change: one line differs in the header; a point picked joins
        // the one-per-line list in its style; the comments are all there.
        pack.meeting.place = "Dushanbe".into();
        pack.selection.points.retain(|p| p != "north-africa-impact");
        pack.selection.points.push("north-africa-impact".into());
        pack.memo.date = None;
        let text = over(&pack, EXAMPLE).unwrap();
        let comments = |t: &str| t.lines().filter(|l| l.starts_with('#')).count();
        assert_eq!(comments(&text), comments(EXAMPLE));
        assert!(comments(EXAMPLE) >= 4);
        assert!(text.contains("place = \"Dushanbe\"\n"), "{text}");
        assert!(!text.contains("date = 2011-08-05"), "{text}");
        assert!(
            text.contains("    \"informal-summit-agenda\",\n    \"north-africa-impact\",\n]"),
            "{text}"
        );
        let back = crate::pack::parse(&text, "saved", &lib).unwrap().pack;
        assert_eq!(back, pack);
    }

    /// Layouts people write by hand: inline tables, dotted keys, comments inside
    /// lists. Whatever the layout, the saved file reads back as the pack saved.
    #[test]
    fn hand_written_layouts_read_back_as_the_pack_saved() {
        let lib = library();
        for previous in [
            "meeting = { title = \"A\", place = \"B\" }\n[selection]\nthreats = [\"afghanistan-instability\"]\n",
            "memo.to = \"President\"\nmemo.copy = 2\nselection.points = [\n  # first\n  \"youth-in-training-camps\", # why\n]\n",
            "[selection]\npoints = [] # none yet\n[meeting]\ndate = 2011-08-12\n",
        ] {
            let mut pack = crate::pack::parse(previous, "p", &lib).unwrap().pack;
            assert_eq!(over(&pack, previous).unwrap(), previous);
            pack.meeting.title = "Changed".into();
            pack.meeting.date = None;
            pack.memo.copy = 3;
            pack.memo.distribution = vec!["Office".into()];
            pack.selection.points.push("drug-money-corrupts".into());
            pack.selection.threats.clear();
            let text = over(&pack, previous).unwrap();
            let back = crate::pack::parse(&text, "p", &lib)
                .unwrap_or_else(|e| panic!("{e:#}\n{text}"))
                .pack;
            assert_eq!(back, pack, "{text}");
        }
    }

    #[test]
    fn values_missing_from_the_file_are_added_only_when_they_say_something() {
        let lib = library();
        let previous = "# Mine.\n[selection]\nthreats = [\"afghanistan-instability\"]\n";
        let mut pack = crate::pack::parse(previous, "p", &lib).unwrap().pack;
        assert_eq!(over(&pack, previous).unwrap(), previous);
        pack.meeting.title = "Summit \"A\"".into();
        let text = over(&pack, previous).unwrap();
        assert!(text.starts_with("# Mine.\n[selection]\n"), "{text}");
        assert!(
            text.contains("[meeting]\ntitle = \"Summit \\\"A\\\"\"\n"),
            "{text}"
        );
        assert!(!text.contains("[memo]"), "{text}");
        assert_eq!(crate::pack::parse(&text, "p", &lib).unwrap().pack, pack);
        assert_eq!(over(&pack, "not = [toml"), None);
    }
}
