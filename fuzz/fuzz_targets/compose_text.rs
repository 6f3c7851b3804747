//! Arbitrary but structurally valid library and pack (the embedded library with
//! every text replaced by arbitrary strings, a selection of ids that exist, any
//! memo header) through compose and the text renderer at any width: no panic, no
//! control character in the output, no line wider than asked.
#![no_main]

use arbitrary::Arbitrary;
use briefpack::compose::compose;
use briefpack::library::{Library, PointKind, Status};
use briefpack::pack::{MemoStatus, Pack};
use briefpack::template::Template;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use unicode_width::UnicodeWidthStr;

#[derive(Arbitrary, Debug)]
struct Input {
    width: u16,
    texts: Vec<String>,
    kinds: Vec<u8>,
    header: Vec<String>,
    lists: Vec<Vec<String>>,
    final_status: bool,
    copy: u32,
    threats: Vec<u8>,
    partners: Vec<u8>,
    points: Vec<u16>,
    people: Vec<u8>,
}

struct Base {
    lib: Library,
    template: Template,
}

fn base() -> &'static Base {
    static B: OnceLock<Base> = OnceLock::new();
    B.get_or_init(|| Base {
        lib: Library::embedded().expect("the embedded library is valid"),
        template: Template::default_template().expect("the default template is valid"),
    })
}

fn pick<T: Copy + Into<usize>>(picks: &[T], ids: &[String]) -> Vec<String> {
    if ids.is_empty() {
        return Vec::new();
    }
    picks.iter().map(|&i| ids[i.into() % ids.len()].clone()).collect()
}

fuzz_target!(|input: Input| {
    let b = base();
    let mut texts = input.texts.iter().cycle();
    let mut next = |keep: &str| -> String {
        if input.texts.is_empty() { keep.to_owned() } else { texts.next().cloned().unwrap_or_default() }
    };
    // Field by field: the library's indexes are private and rebuilt by reindex().
    let mut lib = Library::default();
    lib.sources = b.lib.sources.clone();
    lib.threats = b.lib.threats.clone();
    lib.partners = b.lib.partners.clone();
    lib.points = b.lib.points.clone();
    lib.states = b.lib.states.clone();
    lib.operations = b.lib.operations.clone();
    lib.organs = b.lib.organs.clone();
    lib.people = b.lib.people.clone();
    lib.meetings = b.lib.meetings.clone();
    for s in &mut lib.sources {
        s.title = next(&s.title);
        s.author = next(&s.author);
    }
    for t in &mut lib.threats {
        t.title = next(&t.title);
        t.summary = next(&t.summary);
        t.regions = t.regions.iter().map(|r| next(r)).collect();
    }
    for p in &mut lib.partners {
        p.name = next(&p.name);
        p.summary = next(&p.summary);
        p.acronym = Some(next(""));
        p.next_steps = p.next_steps.iter().map(|r| next(r)).collect();
    }
    for (i, p) in lib.points.iter_mut().enumerate() {
        p.text = next(&p.text);
        p.excerpt = next(&p.excerpt);
        if let Some(&k) = input.kinds.get(i) {
            p.kind = PointKind::ALL[usize::from(k) % PointKind::ALL.len()];
            p.status = Status::ALL[usize::from(k / 16) % Status::ALL.len()];
        }
    }
    for p in &mut lib.people {
        p.name = next(&p.name);
        p.summary = next(&p.summary);
    }
    for o in &mut lib.operations {
        o.name = next(&o.name);
    }
    lib.reindex();

    let h = |i: usize| input.header.get(i).cloned().unwrap_or_default();
    let l = |i: usize| input.lists.get(i).cloned().unwrap_or_default();
    let mut pack = Pack::default();
    pack.meeting.title = h(0);
    pack.meeting.kind = h(1);
    pack.meeting.place = h(2);
    pack.memo.to = h(3);
    pack.memo.from = h(4);
    pack.memo.reference = h(5);
    pack.memo.marking = h(6);
    pack.memo.purpose = h(7);
    pack.memo.format = h(8);
    pack.memo.status = if input.final_status { MemoStatus::Final } else { MemoStatus::Draft };
    pack.memo.copy = input.copy;
    pack.memo.distribution = l(0);
    pack.memo.preparatory_work = l(1);
    pack.memo.proposals = l(2);
    let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
    pack.selection.threats = pick(&input.threats, &ids(lib.threats.iter().map(|r| &r.id).collect()));
    pack.selection.partners = pick(&input.partners, &ids(lib.partners.iter().map(|r| &r.id).collect()));
    pack.selection.points = pick(&input.points, &ids(lib.points.iter().map(|r| &r.id).collect()));
    pack.selection.people = pick(&input.people, &ids(lib.people.iter().map(|r| &r.id).collect()));

    let doc = compose(&lib, &pack, &b.template);
    let width = usize::from(input.width % 400);
    let lines = briefpack::render::text::lines(&doc, width);
    for line in &lines {
        assert!(!line.chars().any(char::is_control), "control character in {line:?}");
        assert!(
            line.width() <= width.max(20),
            "line of {} columns at width {width}: {line:?}",
            line.width()
        );
    }
});
