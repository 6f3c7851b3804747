//! The review report for scheduled jobs: what needs review, by reason and by owner.

use super::queue::{Category, Due, Policy};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The queue as of a day, ready to print.
#[derive(Clone, Debug)]
pub(crate) struct Report {
    pub as_of: NaiveDate,
    pub policy: Policy,
    pub due: Vec<Due>,
}

impl Report {
    pub(crate) fn is_due(&self) -> bool {
        !self.due.is_empty()
    }

    /// Non-empty groups in report order, each with its points in file order. A point
    /// with several reasons is listed under each.
    pub(crate) fn by_reason(&self) -> Vec<(Category, Vec<&Due>)> {
        Category::ALL
            .into_iter()
            .map(|c| (c, self.due.iter().filter(|d| d.has(c)).collect::<Vec<_>>()))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// Owners in alphabetical order, points without one last.
    pub(crate) fn by_owner(&self) -> Vec<(Option<&str>, Vec<&Due>)> {
        let mut map: BTreeMap<(bool, Option<&str>), Vec<&Due>> = BTreeMap::new();
        for d in &self.due {
            let owner = d.owner.as_deref();
            map.entry((owner.is_none(), owner)).or_default().push(d);
        }
        map.into_iter().map(|((_, o), v)| (o, v)).collect()
    }

    fn headline(&self) -> String {
        let n = self.due.len();
        let what = match n {
            0 => "No points need review".to_owned(),
            1 => "1 point needs review".to_owned(),
            n => format!("{n} points need review"),
        };
        format!(
            "{what} as of {} (reviews older than {} days are due).",
            self.as_of.format("%Y-%m-%d"),
            self.policy.max_age_days
        )
    }

    pub(crate) fn text(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        if !self.is_due() {
            return out;
        }
        let width = self
            .due
            .iter()
            .map(|d| d.id.chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        out.push_str("\nBy reason\n");
        for (category, due) in self.by_reason() {
            out.push_str(&format!("  {} ({})\n", category.label(), due.len()));
            for d in due {
                for r in d.reasons.iter().filter(|r| r.category() == category) {
                    out.push_str(&format!(
                        "    {:<width$}  {}  ({}:{})\n",
                        d.id,
                        r.describe(),
                        d.at.file,
                        d.at.line
                    ));
                }
            }
        }
        out.push_str("\nBy owner\n");
        for (owner, due) in self.by_owner() {
            let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
            out.push_str(&format!(
                "  {} ({}): {}\n",
                owner.unwrap_or("no owner"),
                due.len(),
                ids.join(", ")
            ));
        }
        out
    }

    pub(crate) fn json(&self) -> Value {
        let points: Vec<Value> = self
            .due
            .iter()
            .map(|d| {
                json!({
                    "id": d.id,
                    "status": d.status.as_str(),
                    "owner": d.owner,
                    "reviewed": d.reviewed.map(|r| r.format("%Y-%m-%d").to_string()),
                    "reviewer": d.reviewer,
                    "file": &*d.at.file,
                    "line": d.at.line,
                    "reasons": d.reasons.iter().map(|r| json!({
                        "reason": r.category().as_str(),
                        "detail": r.describe(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let ids = |v: &[&Due]| v.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
        json!({
            "as_of": self.as_of.format("%Y-%m-%d").to_string(),
            "max_age_days": self.policy.max_age_days,
            "due": self.due.len(),
            "points": points,
            "by_reason": self.by_reason().iter().map(|(c, v)| json!({
                "reason": c.as_str(),
                "label": c.label(),
                "points": ids(v),
            })).collect::<Vec<_>>(),
            "by_owner": self.by_owner().iter().map(|(o, v)| json!({
                "owner": o,
                "points": ids(v),
            })).collect::<Vec<_>>(),
        })
    }
}
