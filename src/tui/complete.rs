//! Tab completion of a typed folder path, as a shell completes it: the one
//! folder that fits, with its `/`; or as far as the folders that fit agree, and
//! their names to choose from.

use std::path::PathBuf;

/// How many entries of a folder are looked at: a huge one completes no worse
/// than a shell would, and never stalls the interface.
const MAX_ENTRIES: usize = 10_000;

/// What Tab makes of `typed`: the new text, and the folders it could go on to
/// (empty when it went as far as it can, or nothing fits).
pub(crate) fn folder(typed: &str) -> (String, Vec<String>) {
    let (head, stem) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let dir = match head {
        "" => PathBuf::from("."),
        h => super::app::expand_home(h),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (typed.to_owned(), Vec::new());
    };
    let mut names: Vec<String> = entries
        .take(MAX_ENTRIES)
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        // Hidden folders only when asked for, as shells do.
        .filter(|n| n.starts_with(stem) && (stem.starts_with('.') || !n.starts_with('.')))
        .collect();
    names.sort();
    match names.as_slice() {
        [] => (typed.to_owned(), Vec::new()),
        [one] => (format!("{head}{one}/"), Vec::new()),
        several => {
            let common = common_prefix(several.iter().map(String::as_str));
            (format!("{head}{common}"), names.clone())
        }
    }
}

/// The longest start all of `words` share (empty for none).
pub(crate) fn common_prefix<'a>(mut words: impl Iterator<Item = &'a str>) -> &'a str {
    let Some(first) = words.next() else { return "" };
    words.fold(first, |acc, w| {
        let end = acc
            .char_indices()
            .zip(w.chars())
            .find(|((_, a), b)| a != b)
            .map_or(acc.len().min(w.len()), |((i, _), _)| i);
        &acc[..end]
    })
}

#[cfg(test)]
mod tests {
    use super::folder;

    #[test]
    fn tab_completes_one_folder_whole_and_several_as_far_as_they_agree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        for d in ["library-2026", "library-old", "other", ".hidden"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("library-notes.txt"), "").unwrap();
        let (text, choices) = folder(&format!("{root}/lib"));
        assert_eq!(text, format!("{root}/library-"));
        assert_eq!(choices, ["library-2026", "library-old"]);
        let (text, choices) = folder(&format!("{root}/o"));
        assert_eq!(text, format!("{root}/other/"));
        assert!(choices.is_empty());
        // Files are not folders; hidden ones only when the dot is typed.
        assert_eq!(
            folder(&format!("{root}/library-n")).0,
            format!("{root}/library-n")
        );
        let (_, all) = folder(&format!("{root}/"));
        assert!(!all.iter().any(|n| n.starts_with('.')), "{all:?}");
        assert_eq!(folder(&format!("{root}/.h")).0, format!("{root}/.hidden/"));
        // A folder that is not there completes nothing and loses nothing.
        assert_eq!(
            folder("/no/such/place/x"),
            ("/no/such/place/x".to_owned(), Vec::new())
        );
    }
}
