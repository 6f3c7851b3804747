//! Inputs the cargo-fuzz targets (fuzz/) found to break something, kept as tests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test panics on a broken expectation

mod common;

use briefpack::compose::compose;
use briefpack::pack::MemoStatus;
use briefpack::render::text;
use briefpack::template::Template;
use unicode_width::UnicodeWidthStr;

/// `compose_text`, crash-86c634d6: at a width under the 28 columns of
/// "DRAFT — NOT FOR DISTRIBUTION" the centred lines (marking, draft notice,
/// title, subtitle) and the copy line came out wider than the preview pane;
/// they are now wrapped before they are centred.
#[test]
fn centred_lines_fit_narrow_widths() {
    let lib = common::library();
    let mut pack = common::pack(&lib);
    pack.memo.status = MemoStatus::Draft;
    pack.memo.marking = "RESTRICTED — FOR THE PERSONAL ATTENTION OF THE ADDRESSEE ONLY".into();
    pack.meeting.title =
        "Informal summit of the Collective Security Treaty Organisation heads of state".into();
    let doc = compose(&lib, &pack, &Template::default_template().unwrap());
    for width in 0..=90 {
        let lines = text::lines(&doc, width);
        for l in &lines {
            assert!(
                l.width() <= width.max(20),
                "width {width}: {l:?} is {} columns",
                l.width()
            );
        }
        // Nothing is lost: with the breaks and indents taken out, both read whole.
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        let all = squash(&lines.join(" "));
        assert!(
            all.contains(&squash(&pack.meeting.title)),
            "width {width}: the title was cut"
        );
        assert!(
            all.contains(&squash(&pack.memo.marking)),
            "width {width}: the marking was cut"
        );
    }
}
