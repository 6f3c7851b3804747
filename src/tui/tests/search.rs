//! `/` as a search one can trust: exact matches first, a divider before the loose
//! ones, "no exact match" said outright, `'` for exact only, and the filters that
//! narrow a search named where it is typed.

use super::*;
use crate::tui::list;

fn point(id: &str, text: &str) -> String {
    format!(
        "[[points]]\nid = \"{id}\"\ntext = \"{text}\"\nkind = \"key-message\"\nthreats = [\"terrorism\"]\npartners = []\nsource = \"sg-report\"\nexcerpt = \"the transaction is scheduled\"\nstatus = \"approved\"\ntags = []\n\n"
    )
}

fn app_with_rapid() -> App {
    let more = point(
        "rapid",
        "The Collective Rapid Reaction Force trains twice a year.",
    ) + &point(
        "pivot",
        "A direct interaction with partners is planned for spring.",
    );
    App::new(
        Arc::new(crate::library::fixture_library_with_points(&more)),
        Arc::new(Template::default_template().unwrap()),
        Pack::new(),
        None,
    )
}

#[test]
fn exact_matches_come_first_and_a_divider_marks_the_loose_ones() {
    let mut app = app_with_rapid();
    keys(&mut app, "3/rapid reaction");
    let rows = ids(&app);
    assert_eq!(rows.first().map(String::as_str), Some("rapid"), "{rows:?}");
    assert!(
        rows.contains(&"pivot".to_owned()),
        "a loose match is still offered: {rows:?}"
    );
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    let lines: Vec<&str> = screen.lines().collect();
    let exact_at = lines.iter().position(|l| l.contains("Collective Rapid")).unwrap();
    let divider_at = lines.iter().position(|l| l.contains("loose match")).unwrap();
    let loose_at = lines
        .iter()
        .position(|l| l.contains("direct interaction"))
        .unwrap();
    assert!(exact_at < divider_at && divider_at < loose_at, "{screen}");
    // The cursor moves over the rows, never onto the divider.
    press(&mut app, KeyCode::Enter);
    keys(&mut app, "j");
    assert_eq!(app.current_id().unwrap(), rows[1]);
}

#[test]
fn with_no_exact_match_the_list_says_so_and_a_quote_asks_for_exact_only() {
    let mut app = app_with_rapid();
    keys(&mut app, "3/rapid interaction");
    let loose = app.pane().rows.len();
    assert!(loose > 0 && list::exact_count(&app.pane().rows) == 0);
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(
        screen.contains(&format!("No exact match; {loose} loose match")),
        "{screen}"
    );
    // Kept, the search says it in full on the message line.
    press(&mut app, KeyCode::Enter);
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    let said = format!("No exact match for 'rapid interaction'; {loose} loose match");
    assert!(screen.contains(&said), "{screen}");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "/'rapid interaction");
    assert!(app.pane().rows.is_empty());
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(
        screen.contains("Nothing matches ''rapid interaction'"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "/'rapid reaction");
    assert_eq!(ids(&app), ["rapid"]);
}

#[test]
fn a_view_that_narrows_the_search_is_named_where_it_is_typed() {
    let mut app = app_with_rapid();
    keys(&mut app, "3o/rapid");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("Find in points among picked only"), "{screen}");
    assert!(
        screen.contains("Nothing matches 'rapid' among picked only"),
        "{screen}"
    );
}

/// `F` searches the three tabs at once, its matches under their kind with counts.
#[test]
fn find_in_all_tabs_groups_matches_by_kind_and_enter_goes_to_one() {
    let mut app = app_with_rapid();
    keys(&mut app, "1F");
    assert!(matches!(app.layer, Layer::FindAll(_)));
    let screen = text(&draw(&mut app, 80, 24, COLOR));
    assert!(
        screen.contains("Type to search threats, partners and points together."),
        "{screen}"
    );
    keys(&mut app, "organization");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    let lines: Vec<&str> = screen.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
    };
    let threats = at("Threats · no match");
    let partners = at("Partners · 1 exact");
    let osce = at("Organization for Security");
    let points = at("Points · 1 exact");
    let bloc = at("The Organization is not a military bloc");
    assert!(
        threats < partners && partners < osce && osce < points && points < bloc,
        "{screen}"
    );
    assert!(screen.contains("2 matches: 2 exact, 0 loose."), "{screen}");
    // The cursor moves over the matches only: one down is the point.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.layer, Layer::None));
    assert_eq!(app.focus, Pane::Points);
    assert_eq!(app.current_id().unwrap(), "no-bloc");
}

#[test]
fn find_in_all_tabs_says_what_narrows_it_and_what_nothing_exact_means() {
    let mut app = app_with_rapid();
    // The points tab shows picked points only: the search there is narrowed, and says so.
    keys(&mut app, "3oF");
    keys(&mut app, "organization");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(screen.contains("Points · no match among picked only"), "{screen}");
    assert!(screen.contains("Partners · 1 exact"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.layer, Layer::None));
    keys(&mut app, "o");

    // Nothing exact anywhere: said, with the count of loose matches.
    keys(&mut app, "F");
    keys(&mut app, "rapid interaction");
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(
        screen.contains("No exact match for 'rapid interaction'; "),
        "{screen}"
    );
    assert!(
        screen.contains("No exact match; "),
        "the group's divider: {screen}"
    );
    press(&mut app, KeyCode::Esc);

    // The tab's own `/` would hide the match: going to it clears that, and says so.
    keys(&mut app, "/zzzq");
    press(&mut app, KeyCode::Enter);
    assert!(app.pane().rows.is_empty());
    keys(&mut app, "F'rapid");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.current_id().unwrap(), "rapid");
    assert!(app.pane().filters.query.is_empty());
    let screen = text(&draw(&mut app, 100, 30, COLOR));
    assert!(
        screen.contains("The points tab's own search was cleared to show this item."),
        "{screen}"
    );
}
