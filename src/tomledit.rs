//! Values written into TOML files the way the files already lay them out, so a
//! change by briefpack shows in a diff as the change and nothing else: the
//! library's `points.toml` (review write-back) and packs (saving).

use toml_edit::{Array, Value};

/// A TOML basic string (`"..."`), the quoting the library's files use throughout, where
/// `toml_edit` on its own would sometimes pick a literal or multi-line string.
pub(crate) fn basic_string(s: &str) -> Value {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    // Everything that could break the string is escaped above, so this cannot fail;
    // the fallback keeps the value rather than panicking if it ever did.
    out.parse::<Value>().unwrap_or_else(|_| Value::from(s))
}

/// A list in the layout the file already uses: one line stays one line; a list written
/// one item per line keeps its items (with their comments) and their indentation.
pub(crate) fn render_list(items: &[String], old: Option<&Array>) -> Array {
    let multi_line = old.is_some_and(|a| {
        a.iter().any(|v| {
            v.decor()
                .prefix()
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.contains('\n'))
        })
    });
    let mut out = Array::new();
    match old {
        Some(old) if multi_line => {
            let template = old.iter().last().map(|v| v.decor().clone());
            for s in items {
                if let Some(v) = old.iter().find(|v| v.as_str() == Some(s.as_str())) {
                    out.push_formatted(v.clone());
                } else {
                    let mut v = basic_string(s);
                    if let Some(d) = &template {
                        *v.decor_mut() = d.clone();
                    }
                    out.push_formatted(v);
                }
            }
            out.set_trailing(old.trailing().clone());
            out.set_trailing_comma(old.trailing_comma());
        }
        _ => {
            for s in items {
                out.push_formatted(basic_string(s));
            }
            out.fmt();
        }
    }
    out
}
