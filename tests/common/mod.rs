//! A small library and pack shared by the integration tests.
#![allow(dead_code)]

use briefpack::library::{Checked, Kind, Library};
use briefpack::pack::Pack;

pub mod tmux;
use std::path::{Path, PathBuf};

/// A copy of the shipped library in a new temporary directory's `data/`, for
/// tests that write to it or break it. The directory lives as long as the guard.
pub fn copy_of_data() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    (dir, data)
}

pub const SOURCES: &str = r#"
[[sources]]
id = "report"
title = "Report to the conference"
author = "Nikolai Bordyuzha"
author_role = "Secretary General"
date = 2008-12-18
place = "Moscow"
kind = "report"
language = "ru"
translation = true
origin = "CSTO Secretariat"
file = "000.txt"

[[sources]]
id = "meeting"
title = "Working meeting"
author = "Dmitry Medvedev"
date = 2011-08-05
kind = "meeting-transcript"
language = "ru"
origin = "Kremlin"
file = "003.txt"
"#;

pub const THREATS: &str = r#"
[[threats]]
id = "drugs"
title = "Afghan drug trafficking"
summary = "Heroin moves north through Central Asia."
trend = "rising"
trend_note = "Seizures grow."
regions = ["Central Asia"]
operations = ["channel"]
sources = ["meeting", "report"]

[[threats]]
id = "extremism"
title = "Religious extremism"
summary = "Groups recruit among the young."
trend = "rising"
sources = ["meeting"]
"#;

pub const PARTNERS: &str = r#"
[[partners]]
id = "unodc"
name = "UN Office on Drugs and Crime"
acronym = "UNODC"
kind = "specialised"
relationship = "working-contacts"
since = "2008"
areas = ["drugs"]
summary = "Works with us on Channel."
next_steps = ["Invite observers to Channel."]
sources = ["report"]
"#;

pub const OPERATIONS: &str = r#"
[[operations]]
id = "channel"
name = "Channel"
kind = "operation"
since = "2003"
summary = "Anti-drug operation."
threats = ["drugs"]
sources = ["report"]
"#;

pub const PEOPLE: &str = r#"
[[people]]
id = "bordyuzha"
name = "Nikolai Bordyuzha"
role = "Secretary General"
organisation = "CSTO"
summary = "Briefed the President."
sources = ["meeting"]
"#;

pub const POINTS: &str = r#"
[[points]]
id = "defend-afghan"
text = "We do not interfere in Afghanistan; we protect our borders."
kind = "defensive-line"
threats = ["drugs"]
source = "meeting"
excerpt = "the impact Afghanistan is having"
status = "approved"

[[points]]
id = "channel-permanent"
text = "Operation Channel has become a permanent regional project."
kind = "key-message"
threats = ["drugs"]
partners = ["unodc"]
source = "report"
excerpt = "permanent regional project"
status = "approved"

[[points]]
id = "youth-camps"
text = "Young people from our countries train in camps abroad."
kind = "key-message"
threats = ["extremism"]
source = "meeting"
excerpt = "young people"
status = "approved"

[[points]]
id = "old-line"
text = "A line we no longer use."
kind = "press-line"
source = "report"
excerpt = "old"
status = "retired"
retired_reason = "superseded"
"#;

pub fn library() -> Library {
    let c = with_points(POINTS);
    let msgs: Vec<String> = c.diagnostics.iter().map(ToString::to_string).collect();
    assert!(msgs.is_empty(), "fixture library is invalid: {msgs:#?}");
    c.library
}

/// The fixture library with `points` as its points file, loaded but not judged:
/// each test says which diagnostics it allows.
pub fn with_points(points: &str) -> Checked {
    Library::from_texts(&[
        (Kind::Source, SOURCES),
        (Kind::Threat, THREATS),
        (Kind::Partner, PARTNERS),
        (Kind::Operation, OPERATIONS),
        (Kind::Person, PEOPLE),
        (Kind::Point, points),
    ])
}

/// A TOML basic string holding `s` exactly, control characters escaped as TOML
/// requires (the awkward bytes reach the program; the file stays valid TOML).
pub fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub const PACK: &str = r#"
[meeting]
title = "Informal summit"
kind = "informal summit"
date = 2011-08-12
place = "Astana"

[memo]
to = "President"
from = "Secretary General"
reference = "SG/2011/041"
date = 2011-08-05
marking = "RESTRICTED"
status = "final"
distribution = ["Office of the President", "Ministry of Foreign Affairs"]
copy = 1
purpose = "Brief the President."
preparatory_work = ["Visited Kyrgyzstan."]
proposals = ["Strengthen military-technical cooperation."]

[selection]
threats = ["extremism", "drugs"]
partners = ["unodc"]
points = ["defend-afghan", "youth-camps", "channel-permanent"]
people = ["bordyuzha"]
"#;

pub fn pack(lib: &Library) -> Pack {
    briefpack::pack::parse(PACK, "pack.toml", lib)
        .expect("fixture pack loads")
        .pack
}
