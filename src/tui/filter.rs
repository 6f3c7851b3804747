//! Fuzzy matching for the `/` filter, with nucleo-matcher as helix uses it.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A reusable matcher: the scoring matrix is allocated once, not per keystroke.
pub struct Fuzzy {
    matcher: Matcher,
    buf: Vec<char>,
}

/// How well a text matched, and where (character positions, for highlighting).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hit {
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

impl Fuzzy {
    /// Parses a query once for many texts; `None` when it is blank (everything matches).
    pub fn pattern(query: &str) -> Option<Pattern> {
        if query.trim().is_empty() {
            return None;
        }
        Some(Pattern::parse(query, CaseMatching::Smart, Normalization::Smart))
    }

    /// Matches one text; `None` when it does not match at all.
    pub fn find(&mut self, pattern: &Pattern, text: &str) -> Option<Hit> {
        let mut chars = Vec::new();
        let haystack = Utf32Str::new(text, &mut self.buf);
        let score = pattern.indices(haystack, &mut self.matcher, &mut chars)?;
        chars.sort_unstable();
        chars.dedup();
        Some(Hit { score, chars })
    }
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
}
