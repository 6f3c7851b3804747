//! The detail of one record: full text, trend or relationship, links, and for a
//! point its source and verbatim excerpt. Wrapped here, so scrolling can be clamped.

use super::sheet::{self, Part};
use crate::compose::describe_source;
use crate::library::{Kind, Library, Point};
use crate::render::text::wrap_into;
use crate::tui::app::App;
use crate::tui::list::Pane;
use crate::tui::theme::Theme;
use ratatui::text::Line;
use std::collections::HashSet;

/// The detail of the focused pane's current row, wrapped to `width`.
pub(crate) fn lines(app: &App, width: usize, t: Theme) -> Vec<Line<'static>> {
    let Some(row) = app.pane().current() else {
        let mut wrapped = Vec::new();
        wrap_into(
            &mut wrapped,
            "Nothing to show: this list is empty.",
            "",
            "",
            width.max(10),
        );
        return wrapped.into_iter().map(|l| Line::styled(l, t.dim())).collect();
    };
    let id = crate::tui::list::id(&app.lib, app.focus, row.index).to_owned();
    sheet::lines(parts(&app.lib, app, app.focus, &id), width, t)
}

fn parts(lib: &Library, app: &App, pane: Pane, id: &str) -> Vec<Part> {
    let mut p = Vec::new();
    let sel = &app.pack.selection;
    let picked = |kind: Kind, id: &str| if sel.contains(kind, id) { "[x] " } else { "[ ] " };
    let source_line = |sid: &str| lib.source(sid).map_or_else(|| sid.to_owned(), describe_source);
    match pane {
        Pane::Threats => {
            let Some(r) = lib.threat(id) else { return p };
            p.push(Part::Title(format!("{}{}", picked(Kind::Threat, id), r.title)));
            left_out(&mut p, lib, app, Kind::Threat, id);
            let trend = match &r.trend_note {
                Some(n) => format!("{} — {n}", r.trend.label()),
                None => r.trend.label().to_owned(),
            };
            p.push(Part::Field("Trend", trend));
            if !r.regions.is_empty() {
                p.push(Part::Field("Regions", r.regions.join(", ")));
            }
            let ops: Vec<String> = r
                .operations
                .iter()
                .map(|o| lib.operation(o).map_or_else(|| o.clone(), |o| o.name.clone()))
                .collect();
            if !ops.is_empty() {
                p.push(Part::Field("Operations", ops.join(", ")));
            }
            p.push(Part::Text(r.summary.clone()));
            linked_points(&mut p, lib.points_of_threat(id).collect(), app);
            let partners: Vec<String> = lib
                .partners_of_threat(id)
                .iter()
                .map(|x| x.display_name())
                .collect();
            if !partners.is_empty() {
                p.push(Part::Heading("Partners linked through points".to_owned()));
                p.extend(partners.into_iter().map(Part::Item));
            }
            p.push(Part::Heading("Sources".to_owned()));
            p.extend(r.sources.iter().map(|s| Part::Item(source_line(s))));
        }
        Pane::Partners => {
            let Some(r) = lib.partner(id) else { return p };
            p.push(Part::Title(format!(
                "{}{}",
                picked(Kind::Partner, id),
                r.display_name()
            )));
            left_out(&mut p, lib, app, Kind::Partner, id);
            p.push(Part::Field("Kind", r.kind.label().to_owned()));
            let since = r
                .since
                .map(|d| format!(", since {}", d.long()))
                .unwrap_or_default();
            p.push(Part::Field(
                "Relationship",
                format!("{}{since}", r.relationship.label()),
            ));
            if let Some(parent) = r.parent.as_deref().and_then(|x| lib.partner(x)) {
                p.push(Part::Field("Part of", parent.display_name()));
            }
            if !r.areas.is_empty() {
                p.push(Part::Field("Areas", r.areas.join("; ")));
            }
            p.push(Part::Text(r.summary.clone()));
            if !r.next_steps.is_empty() {
                p.push(Part::Heading("Next steps".to_owned()));
                p.extend(r.next_steps.iter().cloned().map(Part::Item));
            }
            linked_points(&mut p, lib.points_of_partner(id).collect(), app);
            p.push(Part::Heading("Sources".to_owned()));
            p.extend(r.sources.iter().map(|s| Part::Item(source_line(s))));
        }
        Pane::Points => {
            let Some(r) = lib.point(id) else { return p };
            p.push(Part::Title(format!("{}{}", picked(Kind::Point, id), r.text)));
            left_out(&mut p, lib, app, Kind::Point, id);
            p.push(Part::Field("Kind", r.kind.label().to_owned()));
            let who = lib.speaker_of(r).map_or("speaker not recorded", |s| s.name);
            p.push(Part::Field("Said", format!("{who}, {}", r.said.long())));
            let mut status = r.status.label().to_owned();
            if let Some(why) = &r.retired_reason {
                status.push_str(&format!(" ({why})"));
            }
            if let Some(d) = r.reviewed {
                let d = crate::library::long_date(d);
                match r.reviewer.as_deref() {
                    // The shipped points' honest state: no person has reviewed them.
                    Some(who @ "checked against source") => status.push_str(&format!(", {who} on {d}")),
                    Some(who) => status.push_str(&format!(", reviewed {d} by {who}")),
                    None => status.push_str(&format!(", reviewed {d}")),
                }
            }
            p.push(Part::Field("Status", status));
            // The number the memo prints it under, not its place among the picks:
            // the memo groups points by topic and kind.
            if sel.points.iter().any(|x| x == id) {
                let place = match app.memo_number(id) {
                    Some((n, of)) => format!("point {n} of {of}"),
                    None => "picked, but left out of a memo of this date".to_owned(),
                };
                p.push(Part::Field("In the memo", place));
            }
            let threats: Vec<String> = r
                .threats
                .iter()
                .map(|x| lib.threat(x).map_or_else(|| x.clone(), |t| t.title.clone()))
                .collect();
            if !threats.is_empty() {
                p.push(Part::Field("Threats", threats.join("; ")));
            }
            let partners: Vec<String> = r
                .partners
                .iter()
                .map(|x| {
                    lib.partner(x)
                        .map_or_else(|| x.clone(), crate::library::model::Partner::display_name)
                })
                .collect();
            if !partners.is_empty() {
                p.push(Part::Field("Partners", partners.join("; ")));
            }
            if !r.tags.is_empty() {
                p.push(Part::Field("Tags", r.tags.join(", ")));
            }
            p.push(Part::Heading("Source".to_owned()));
            p.push(Part::Item(source_line(&r.source)));
            p.push(Part::Quote(r.excerpt.clone()));
        }
    }
    p
}

/// Why the memo, as of its date, leaves the item out: the same reason building it warns of.
fn left_out(p: &mut Vec<Part>, lib: &Library, app: &App, kind: Kind, id: &str) {
    let why = app
        .pack
        .memo
        .date
        .and_then(|d| crate::compose::asof::left_out_reason(lib, kind, id, d));
    if let Some(why) = why {
        p.push(Part::Field("Not in this memo", why));
    }
}

/// How many linked points the details list: the details are wrapped on every
/// redraw, and a threat in a large library can have thousands.
pub(crate) const LINKED_SHOWN: usize = 40;

/// The points linked to the item, picked ones first, at most `LINKED_SHOWN`.
fn linked_points(p: &mut Vec<Part>, points: Vec<&Point>, app: &App) {
    if points.is_empty() {
        return;
    }
    p.push(Part::Heading(format!("Linked talking points ({})", points.len())));
    // A set, not `Selection::contains`: thousands of linked points against up
    // to 2,000 picks would be millions of comparisons on every redraw.
    let picked_ids: HashSet<&str> = app.pack.selection.points.iter().map(String::as_str).collect();
    let total = points.len();
    let (picked, others): (Vec<&Point>, Vec<&Point>) = points
        .into_iter()
        .partition(|pt| picked_ids.contains(pt.id.as_str()));
    let marked = picked.iter().map(|pt| ("[x] ", pt));
    for (mark, pt) in marked.chain(others.iter().map(|pt| ("", pt))).take(LINKED_SHOWN) {
        p.push(Part::Item(format!("{mark}{}", pt.text)));
    }
    if total > LINKED_SHOWN {
        p.push(Part::Item(format!(
            "… and {} more: pick this, and the points pane lists them first",
            total - LINKED_SHOWN
        )));
    }
}
