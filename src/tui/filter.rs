//! Matching for the `/` filter in two tiers: exact (the text as typed, or each
//! typed word as the start of a word) above loose (fuzzy, with nucleo-matcher as
//! helix uses it), so a search can say "no exact match" instead of offering noise
//! as if it were an answer. A query starting with `'` asks for exact matches only.
//!
//! Ranking a pane runs on every keystroke over every record, so it uses the
//! matcher's greedy algorithm (linear in the text) on all cores; the optimal
//! algorithm, which also gives the matched positions, runs only for the few rows
//! on screen, to highlight them.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use std::borrow::Cow;

/// A reusable matcher: the scoring matrix is allocated once, not per keystroke.
pub struct Fuzzy {
    matcher: Matcher,
    buf: Vec<char>,
}

/// How well a text matched, and where (character positions, for highlighting).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hit {
    pub score: u32,
    pub chars: Vec<u32>,
}

impl Default for Fuzzy {
    fn default() -> Self {
        Fuzzy {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }
}

/// A query read for both tiers, parsed once for many texts.
pub(crate) struct Query {
    /// The loose tier; `None` when the query asks for exact matches only.
    pub fuzzy: Option<Pattern>,
    /// The query as one text, lowercased, when it is plain words (no `!`, `^`, `$`).
    whole: Option<Vec<char>>,
    /// Each word to find at the start of a word, lowercased.
    words: Vec<Vec<char>>,
    pub exact_only: bool,
}

/// How a text matched a query: its tier, and its loose score within the tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ranked {
    pub index: usize,
    pub score: u32,
    pub exact: bool,
}

impl Query {
    /// `None` when the query is blank (everything matches).
    pub(crate) fn parse(query: &str) -> Option<Query> {
        let trimmed = query.trim_start();
        let (exact_only, text) = match trimmed.strip_prefix('\'') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if text.trim().is_empty() {
            return None;
        }
        let folded = folded(text).to_lowercase();
        let lower = |w: &str| w.chars().map(lower).collect::<Vec<char>>();
        let plain = !folded
            .split_whitespace()
            .any(|w| w.starts_with(['!', '^', '\'']) || w.ends_with('$'));
        let words = folded
            .split_whitespace()
            .filter(|w| !w.starts_with('!'))
            .map(|w| lower(w.trim_start_matches(['^', '\'']).trim_end_matches('$')))
            .filter(|w| !w.is_empty())
            .collect();
        Some(Query {
            fuzzy: (!exact_only).then(|| Fuzzy::pattern(text)).flatten(),
            whole: plain.then(|| lower(folded.trim())),
            words,
            exact_only,
        })
    }

    /// Whether `hay` holds the query as typed, or each word at the start of one of its words.
    pub(crate) fn is_exact(&self, hay: Utf32Str<'_>) -> bool {
        if let Some(whole) = &self.whole {
            if find(hay, whole, |_| true) {
                return true;
            }
        }
        !self.words.is_empty()
            && self
                .words
                .iter()
                .all(|w| find(hay, w, |at| at == 0 || !hay.get(at as u32 - 1).is_alphanumeric()))
    }

    /// Ranks one text: `None` when it matches in neither tier.
    fn rank_one(&self, index: usize, hay: Utf32Str<'_>, matcher: &mut Matcher) -> Option<Ranked> {
        // The loose tier first: a text it rules out (most of them, for any query
        // worth typing) is out of both tiers (a negated word, `!x`, rules a text
        // out of both; an exact match is also a loose one), so the slower exact
        // search runs only on texts that matched loosely.
        let loose = match &self.fuzzy {
            Some(p) => Some(greedy_score(p, hay, matcher)?),
            None => None,
        };
        let exact = self.is_exact(hay);
        let score = match loose {
            Some(s) => s,
            None if exact => 0,
            None => return None,
        };
        if self.exact_only && !exact {
            return None;
        }
        Some(Ranked { index, score, exact })
    }
}

/// Whether `needle` (lowercase) occurs in `hay`, ignoring case, at a position `at_ok` accepts.
fn find(hay: Utf32Str<'_>, needle: &[char], at_ok: impl Fn(usize) -> bool) -> bool {
    let n = hay.len();
    let m = needle.len();
    if m == 0 || m > n {
        return m == 0;
    }
    // Most curated texts are ASCII once folded: compare their bytes directly,
    // first byte first (this runs on every text the loose tier let through).
    if let (Utf32Str::Ascii(bytes), Some(&first)) = (hay, needle.first()) {
        if first.is_ascii() {
            let first = first as u8;
            return bytes.windows(m).enumerate().any(|(at, w)| {
                w[0].to_ascii_lowercase() == first
                    && w.iter()
                        .zip(needle)
                        .all(|(b, c)| char::from(b.to_ascii_lowercase()) == *c)
                    && at_ok(at)
            });
        }
    }
    (0..=n - m).any(|at| {
        at_ok(at)
            && needle
                .iter()
                .enumerate()
                .all(|(k, c)| lower(hay.get((at + k) as u32)) == *c)
    })
}

/// One character for one, so positions stay those of the shown text.
fn lower(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Below this many texts one thread is faster than starting another.
const PARALLEL_FROM: usize = 20_000;

impl Fuzzy {
    /// Parses a query once for many texts; `None` when it is blank (everything
    /// matches). Case is ignored: staff type lowercase for names and acronyms alike.
    pub(crate) fn pattern(query: &str) -> Option<Pattern> {
        if query.trim().is_empty() {
            return None;
        }
        Some(Pattern::parse(
            &folded(query),
            CaseMatching::Ignore,
            Normalization::Smart,
        ))
    }

    /// Matches one text with the optimal algorithm; `None` when it does not match.
    pub(crate) fn find(&mut self, pattern: &Pattern, text: &str) -> Option<Hit> {
        let mut chars = Vec::new();
        let text = folded(text);
        let haystack = Utf32Str::new(&text, &mut self.buf);
        let score = pattern.indices(haystack, &mut self.matcher, &mut chars)?;
        chars.sort_unstable();
        chars.dedup();
        Some(Hit { score, chars })
    }

    /// Ranks `count` texts (`text(i)` is `None` for one filtered out otherwise)
    /// and returns the matching ones, in index order. The texts are folded and
    /// decoded here, on every call: `rank_prepared` is the fast path once a
    /// library's haystacks are built.
    pub(crate) fn rank<'a>(
        query: &Query,
        count: usize,
        text: impl Fn(usize) -> Option<Cow<'a, str>> + Sync,
    ) -> Vec<Ranked> {
        in_parallel(count, |range| {
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            range
                .filter_map(|i| {
                    let t = text(i)?;
                    let t = folded(&t);
                    query.rank_one(i, Utf32Str::new(&t, &mut buf), &mut matcher)
                })
                .collect()
        })
    }

    /// `rank` over haystacks prepared once per library (see `haystack`), for
    /// the records `keep` lets through: no decoding or allocation per text.
    pub(crate) fn rank_prepared(
        query: &Query,
        haystacks: &[Utf32String],
        keep: impl Fn(usize) -> bool + Sync,
    ) -> Vec<Ranked> {
        in_parallel(haystacks.len(), |range| {
            let mut matcher = Matcher::new(Config::DEFAULT);
            range
                .filter(|&i| keep(i))
                .filter_map(|i| query.rank_one(i, haystacks.get(i)?.slice(..), &mut matcher))
                .collect()
        })
    }
}

/// What a kept search says when nothing matched exactly: the query in full, the
/// view that narrowed it (" among picked only", or empty), and the loose count.
pub(crate) fn no_exact_match(query: &str, narrowed: &str, loose: usize) -> String {
    format!(
        "No exact match for '{}'{narrowed}; {loose} loose match{}.",
        crate::clean::line(query.trim()),
        if loose == 1 { "" } else { "es" }
    )
}

/// A text as the matcher sees it, prepared once: folded (see `folded`) so that
/// most curated texts take nucleo's ASCII fast path, which also halves or
/// quarters their memory against a buffer of chars.
pub(crate) fn haystack(text: &str) -> Utf32String {
    Utf32String::from(folded(text).as_ref())
}

/// Typographic punctuation as the ASCII people type: ' for ’, " for “ ”, - for
/// dashes, a space for no-break spaces. One character for one, so matched
/// positions still point at the shown text's characters for highlighting; the
/// query is folded the same way, so typing ' finds ’ and “ finds ". Folded
/// characters keep their class for scoring (all punctuation, or all whitespace).
pub(crate) fn folded(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.chars().any(|c| fold(c) != c) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(fold).collect())
}

fn fold(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{A0}' | '\u{2007}' | '\u{2009}' | '\u{200A}' | '\u{202F}' => ' ',
        '\u{2026}' => '.',
        c => c,
    }
}

/// Runs `run` over `0..count` split across the cores, concatenating the results
/// in range order (so in index order).
fn in_parallel<T: Send>(count: usize, run: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    if count < PARALLEL_FROM || threads < 2 {
        return run(0..count);
    }
    let per = count.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let run = &run;
                s.spawn(move || run(t * per..((t + 1) * per).min(count)))
            })
            .collect();
        // A matching thread cannot panic on text; if one did, its share would be
        // missing from the list rather than the interface going down.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The pattern's score with the greedy algorithm for fuzzy words and the exact
/// one for the others (prefix, suffix, substring, negation), which are linear anyway.
fn greedy_score(pattern: &Pattern, haystack: Utf32Str<'_>, matcher: &mut Matcher) -> Option<u32> {
    let mut total = 0u32;
    for atom in &pattern.atoms {
        if atom.kind == AtomKind::Fuzzy && !atom.negative {
            // Patterns are parsed case-insensitively (see `pattern`).
            matcher.config.ignore_case = true;
            matcher.config.normalize = true;
            total += u32::from(matcher.fuzzy_match_greedy(haystack, atom.needle_text())?);
        } else {
            total += u32::from(atom.score(haystack, matcher)?);
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_out_of_order_letters_and_reports_positions() {
        let mut f = Fuzzy::default();
        let p = Fuzzy::pattern("drgtrf").unwrap();
        let hit = f.find(&p, "Afghan drug trafficking").unwrap();
        assert_eq!(hit.chars.len(), 6);
        let text: Vec<char> = "Afghan drug trafficking".chars().collect();
        let picked: String = hit.chars.iter().map(|&i| text[i as usize]).collect();
        assert_eq!(picked.to_lowercase(), "drgtrf");
        assert!(f.find(&p, "International terrorism").is_none());
    }

    #[test]
    fn closer_matches_score_higher_and_blank_matches_all() {
        let mut f = Fuzzy::default();
        let p = Fuzzy::pattern("terror").unwrap();
        let a = f.find(&p, "International terrorism").unwrap().score;
        let b = f
            .find(&p, "The treaty organisation reaffirms")
            .map_or(0, |h| h.score);
        assert!(a > b);
        assert!(Fuzzy::pattern("   ").is_none());
    }

    #[test]
    fn ranking_agrees_with_matching_serially_and_in_parallel() {
        let texts: Vec<String> = (0..PARALLEL_FROM + 500)
            .map(|i| match i % 3 {
                0 => format!("Afghan drug trafficking {i}"),
                1 => format!("International terrorism {i}"),
                _ => format!("Drg — ОДКБ {i}"),
            })
            .collect();
        let p = Query::parse("DRG").unwrap();
        for n in [10, texts.len()] {
            let ranked = Fuzzy::rank(&p, n, |i| Some(Cow::Borrowed(texts[i].as_str())));
            let expected: Vec<usize> = (0..n).filter(|i| i % 3 != 1).collect();
            assert_eq!(ranked.iter().map(|r| r.index).collect::<Vec<_>>(), expected);
        }
        // Words are all required, a negated word excludes, a filtered-out text is skipped.
        let p = Query::parse("drug !afghan").unwrap();
        let ranked = Fuzzy::rank(&p, 6, |i| (i != 3).then(|| Cow::Borrowed(texts[i].as_str())));
        assert!(ranked.is_empty(), "{ranked:?}");
        let p = Query::parse("afg traf").unwrap();
        let ranked = Fuzzy::rank(&p, 6, |i| (i != 3).then(|| Cow::Borrowed(texts[i].as_str())));
        assert_eq!(ranked.iter().map(|r| r.index).collect::<Vec<_>>(), [0]);
        assert!(ranked[0].exact, "each word starts a word");
    }
}

#[cfg(test)]
mod prepared_tests {
    use super::*;
    use crate::library::Library;
    use crate::pack::Selection;
    use crate::tui::list::{rows, rows_with, Filters, Haystacks, Pane};

    #[test]
    fn folding_keeps_one_character_for_one_and_matches_typed_punctuation() {
        let shown = "Russia’s “pivot” — 2011…";
        let f = folded(shown);
        assert_eq!(f, "Russia's \"pivot\" - 2011.");
        assert_eq!(f.chars().count(), shown.chars().count());
        assert!(matches!(haystack(shown), Utf32String::Ascii(_)));
        assert!(matches!(folded("plain"), Cow::Borrowed(_)));
        let mut m = Fuzzy::default();
        // Typed either way, the query finds the text, and positions are the shown text's.
        for q in ["russia's", "russia’s", "\"pivot\""] {
            let p = Fuzzy::pattern(q).unwrap();
            let hit = m.find(&p, shown).unwrap_or_else(|| panic!("{q}"));
            let chars: Vec<char> = shown.chars().collect();
            assert!(hit.chars.iter().all(|&i| (i as usize) < chars.len()));
        }
        let p = Fuzzy::pattern("s’s").unwrap();
        let hit = m.find(&p, shown).unwrap();
        assert_eq!(shown.chars().nth(hit.chars[1] as usize), Some('’'));
    }

    /// The prepared haystacks are a cache: every query must give the same rows,
    /// in the same order, as preparing the texts on the spot.
    #[test]
    fn prepared_haystacks_give_the_same_rows() {
        let lib = Library::embedded().unwrap();
        let hay = Haystacks::build(&lib);
        let sel = Selection::default();
        for query in [
            "drg", "terror", "russia's", "“", "'s !the", "^the", "ion$", "zzzq", "e",
        ] {
            for pane in Pane::ALL {
                let f = Filters {
                    query: query.into(),
                    ..Filters::default()
                };
                assert_eq!(
                    rows_with(&lib, Some(&hay), pane, &f, &sel),
                    rows(&lib, pane, &f, &sel),
                    "{query:?} in {pane:?}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tier_tests {
    use super::*;

    fn tier(query: &str, text: &str) -> Option<bool> {
        let q = Query::parse(query).unwrap();
        Fuzzy::rank(&q, 1, |_| Some(Cow::Borrowed(text)))
            .first()
            .map(|r| r.exact)
    }

    #[test]
    fn exact_substring_and_word_starts_are_exact_and_scattered_letters_loose() {
        assert_eq!(
            tier("rapid reaction", "Collective Rapid Reaction Force"),
            Some(true)
        );
        assert_eq!(tier("rap reac", "Collective Rapid Reaction Force"), Some(true));
        assert_eq!(tier("terror", "counter-terrorism centre"), Some(true));
        assert_eq!(
            tier("ror", "counter-terrorism centre"),
            Some(true),
            "a substring is exact"
        );
        assert_eq!(
            tier("rapid reaction", "Russia's pivot: a direct interaction"),
            Some(false)
        );
        assert_eq!(tier("drgtrf", "Afghan drug trafficking"), Some(false));
        assert_eq!(tier("zzzq", "Afghan drug trafficking"), None);
        // Typographic punctuation and case do not stand in the way.
        assert_eq!(tier("russia's", "RUSSIA’S pivot"), Some(true));
    }

    #[test]
    fn a_leading_quote_keeps_only_exact_matches() {
        assert_eq!(
            tier("'rapid reaction", "Russia's pivot: a direct interaction"),
            None
        );
        assert_eq!(tier("'rapid reaction", "the Rapid Reaction Force"), Some(true));
        assert!(Query::parse("'").is_none());
        assert!(Query::parse("'  ").is_none());
        // A negated word still rules a text out.
        assert_eq!(tier("drug !afghan", "Afghan drug trafficking"), None);
    }
}
