//! What the renderer tells the finishing pass about the pages it drew.
//!
//! genpdf draws text and forgets what it was: its content streams hold glyphs at
//! positions, nothing more. A navigable, tagged PDF needs to know, for every text
//! object (`BT ... ET`) on every page, which heading, paragraph, list label, table
//! cell or note it belongs to, or that it is page furniture. So, while genpdf lays
//! the memo out, every element that draws text reports here:
//!
//! - the builder creates the logical structure first (`node`: a tree of roles in
//!   reading order, with the anchors, outline entries and links each carries);
//! - each drawing call then reports, on the page being drawn, how many text
//!   objects it drew for which node (`drawn`), or that it drew furniture
//!   (`furniture`). genpdf starts one text object per line it prints, so a
//!   paragraph reports the lines it fitted.
//!
//! `tags.rs` reads this record back against the content streams: the text objects
//! of page N, in stream order, are exactly the ones reported for page N, in order
//! (it checks the counts, and refuses a file where they differ).

use std::cell::RefCell;
use std::rc::Rc;

/// A standard structure type (PDF 32000-1 §14.8.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    Document,
    /// A heading, level 1 to 6.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    /// A header cell, and whether it heads a column (else a row).
    TH {
        column: bool,
    },
    TD,
    Note,
    Link,
    /// A table of contents, and an item of it.
    Toc,
    Toci,
}

impl Role {
    pub(super) fn name(self) -> &'static [u8] {
        match self {
            Role::Document => b"Document",
            Role::H(1) => b"H1",
            Role::H(2) => b"H2",
            Role::H(3) => b"H3",
            Role::H(4) => b"H4",
            Role::H(5) => b"H5",
            Role::H(_) => b"H6",
            Role::P => b"P",
            Role::L => b"L",
            Role::LI => b"LI",
            Role::Lbl => b"Lbl",
            Role::LBody => b"LBody",
            Role::Table => b"Table",
            Role::TR => b"TR",
            Role::TH { .. } => b"TH",
            Role::TD => b"TD",
            Role::Note => b"Note",
            Role::Link => b"Link",
            Role::Toc => b"TOC",
            Role::Toci => b"TOCI",
        }
    }
}

/// A link inside a node's text: the characters it covers, counted over the
/// node's text without whitespace (line breaks may drop or add spaces, never
/// anything else), and the named destination it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Link {
    pub chars: std::ops::Range<usize>,
    pub dest: String,
    /// What a screen reader says for it (the annotation's /Contents).
    pub label: String,
    /// The `Link` structure element the annotation belongs to, when it is not
    /// the node whose text holds it (a citation mark inside a paragraph).
    pub element: Option<usize>,
}

/// One element of the logical structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Node {
    pub role: Role,
    pub parent: Option<usize>,
    /// A named destination at the start of the node's first text.
    pub anchor: Option<String>,
    /// An outline entry: its nesting level (1 = top) and title. Needs `anchor`.
    pub outline: Option<(u8, String)>,
    pub links: Vec<Link>,
}

/// What one drawing call put on a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    /// `sections` text objects in a row, all part of node `node`.
    Text { node: usize, sections: usize },
    /// A text object of the page's running head or top marking.
    Header,
    /// A text object of the bottom marking or page label.
    Footer,
    /// The marking itself, at the top (`footer` false) or the bottom: page
    /// furniture too, set letter-spaced by the finishing pass.
    Marking { footer: bool },
}

#[derive(Debug, Default)]
pub(super) struct Record {
    /// The structure, in reading order; node 0 is the document.
    pub nodes: Vec<Node>,
    /// Per page (index 0 = page 1), what was drawn, in drawing order.
    pub pages: Vec<Vec<Mark>>,
}

/// The record, shared by the frame and the elements while genpdf lays out.
pub(super) type Recorder = Rc<RefCell<Record>>;

impl Record {
    /// A record holding only the document node.
    pub(crate) fn new() -> Record {
        Record {
            nodes: vec![Node {
                role: Role::Document,
                parent: None,
                anchor: None,
                outline: None,
                links: Vec::new(),
            }],
            pages: Vec::new(),
        }
    }

    /// Adds a node under `parent`, after its other children; returns its index.
    pub(crate) fn node(&mut self, role: Role, parent: usize) -> usize {
        self.nodes.push(Node {
            role,
            parent: Some(parent),
            anchor: None,
            outline: None,
            links: Vec::new(),
        });
        self.nodes.len() - 1
    }

    /// genpdf started a page: what is drawn next lands on it.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    /// `sections` text objects for `node` on the current page.
    pub(crate) fn drawn(&mut self, node: usize, sections: usize) {
        if sections > 0 {
            self.mark(None, Mark::Text { node, sections });
        }
    }

    /// `sections` text objects for `node` on page `page` (1-based), drawn after
    /// layout (a contents line's page number).
    pub(crate) fn drawn_on(&mut self, page: usize, node: usize, sections: usize) {
        if sections > 0 {
            self.mark(Some(page), Mark::Text { node, sections });
        }
    }

    /// The page (1-based) the text of the node anchored at `anchor` starts on.
    pub(crate) fn page_of(&self, anchor: &str) -> Option<usize> {
        let node = self
            .nodes
            .iter()
            .position(|n| n.anchor.as_deref() == Some(anchor))?;
        let first = self.pages.iter().position(|marks| {
            marks
                .iter()
                .any(|m| matches!(m, Mark::Text { node: n, .. } if *n == node))
        })?;
        Some(first + 1)
    }

    /// One text object of page furniture on page `page` (1-based), or on the
    /// current page when `None`.
    pub(crate) fn furniture(&mut self, page: Option<usize>, mark: Mark) {
        self.mark(page, mark);
    }

    fn mark(&mut self, page: Option<usize>, mark: Mark) {
        let at = page.map_or(self.pages.len(), |p| p.min(self.pages.len()));
        // Text drawn before the first page cannot happen with genpdf (it starts a
        // page first); if it did, `tags` would find the counts wrong and say so.
        if let Some(list) = at.checked_sub(1).and_then(|i| self.pages.get_mut(i)) {
            list.push(mark);
        }
    }
}
