//! The frame of every page: the marking, running head and draft banner at the
//! top, the marking and "Page N of M" at the bottom.
//!
//! M is only known once the whole body is laid out. Rather than lay the memo
//! out twice (once to count, once to print), the decorator keeps each page's
//! footer band and `PageNumbers`, the document's last element, prints the labels
//! into them once the count is final. Pagination cannot depend on M: the bands
//! have a fixed height on every page whatever they say. The contents lines'
//! page numbers are filled in the same way (`Later::reserve`): the place is kept
//! when the line is laid out, the number printed once every heading has landed.

use super::record::{Mark, Recorder};
use crate::compose::Meta;
use crate::template::fill;
use genpdf::fonts::{Font, FontFamily};
use genpdf::render::Area;
use genpdf::style::Style;
use genpdf::{Context, Element, Margins, Mm, PageDecorator, Position, RenderResult};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What the frame prints.
struct Wording {
    marking: String,
    running_head: String,
    draft: Option<String>,
    page_pattern: String,
    copy_foot: Option<String>,
}

/// Page margins (top, right, bottom, left, in mm) and the small type size the
/// running head and page label are set in; the marking is one point larger.
#[derive(Clone, Copy)]
pub(super) struct Geometry {
    pub margins: (f64, f64, f64, f64),
    pub small: u8,
    /// The faces the frame is set in (see `pdf::typeset`).
    pub family: FontFamily<Font>,
}

impl Geometry {
    fn mark(self) -> Style {
        Style::from(self.family).bold().with_font_size(self.small + 1)
    }

    fn small(self) -> Style {
        Style::from(self.family).with_font_size(self.small)
    }

    /// Height of the top and bottom bands together, gaps included: the body gets
    /// the page less the margins and this.
    pub(crate) fn bands_height(self, fonts: &genpdf::fonts::FontCache) -> Mm {
        let mark = self.mark().line_height(fonts);
        let small = self.small().line_height(fonts);
        // The foot keeps a line for a distribution copy's number and addressee
        // on every memo, so each copy paginates exactly as the memo does.
        mark * 3.0 + small * 3.0 + Mm::from(6.0)
    }
}

/// A page's footer band, waiting for the total page count.
struct Band {
    /// Borrowed from genpdf beyond the decorator call that lent it; see `keep`.
    area: Area<'static>,
    page: usize,
    y: Mm,
}

/// A place kept on page `page` for the page number of the text anchored at
/// `anchor`, printed right-aligned on its first line, as part of node `node`.
struct Slot {
    /// Borrowed from genpdf beyond the call that lent it; see `keep`.
    area: Area<'static>,
    page: usize,
    anchor: String,
    node: usize,
    style: Style,
}

/// Where elements keep places for numbers known only after layout; shared with
/// `PageNumbers` alone, which fills them (see `keep`).
#[derive(Clone)]
pub(super) struct Later {
    slots: Rc<RefCell<Vec<Slot>>>,
    record: Recorder,
}

impl Later {
    /// Keeps `area` (on the page being laid out) for the page number of the
    /// text anchored at `anchor`, to be drawn in `style` as part of `node`.
    #[allow(unsafe_code)]
    pub(crate) fn reserve(&self, area: &Area<'_>, anchor: &str, node: usize, style: Style) {
        let page = self.record.borrow().pages.len();
        self.slots.borrow_mut().push(Slot {
            // SAFETY: the slot is shared only with `PageNumbers`, the document's
            // last element, which alone reads it (see `keep`).
            area: unsafe { keep(area.clone()) },
            page,
            anchor: anchor.to_owned(),
            node,
            style,
        });
    }
}

/// The `PageDecorator`. Shares the kept bands with `PageNumbers` and nothing else,
/// so no kept area can be reached once genpdf's `Document` is gone.
pub(super) struct Frame {
    geometry: Geometry,
    wording: Rc<Wording>,
    bands: Rc<RefCell<Vec<Band>>>,
    pages: Rc<Cell<usize>>,
    /// Told of each page and of every text object the frame draws (artifacts).
    record: Recorder,
}

/// Prints the page labels; must be the last element pushed to the document.
pub(super) struct PageNumbers {
    geometry: Geometry,
    wording: Rc<Wording>,
    bands: Rc<RefCell<Vec<Band>>>,
    numbered: Rc<Cell<usize>>,
    record: Recorder,
    later: Later,
}

/// The decorator and the element that completes it, and the two counts that let
/// the caller check every page was numbered: pages decorated, pages numbered;
/// and where elements keep places for late page numbers.
pub(super) fn frame(
    geometry: Geometry,
    meta: &Meta,
    record: &Recorder,
) -> (Frame, PageNumbers, Rc<Cell<usize>>, Rc<Cell<usize>>, Later) {
    let wording = Rc::new(Wording {
        marking: meta.marking.clone(),
        running_head: meta.running_head.clone(),
        draft: meta.draft.clone(),
        page_pattern: meta.page_pattern.clone(),
        copy_foot: meta.copy_foot.clone(),
    });
    let bands = Rc::new(RefCell::new(Vec::new()));
    let pages = Rc::new(Cell::new(0));
    let numbered = Rc::new(Cell::new(0));
    let f = Frame {
        geometry,
        wording: Rc::clone(&wording),
        bands: Rc::clone(&bands),
        pages: Rc::clone(&pages),
        record: Rc::clone(record),
    };
    let later = Later {
        slots: Rc::new(RefCell::new(Vec::new())),
        record: Rc::clone(record),
    };
    let n = PageNumbers {
        geometry,
        wording,
        bands,
        numbered: Rc::clone(&numbered),
        record: Rc::clone(record),
        later: later.clone(),
    };
    (f, n, pages, numbered, later)
}

fn centered(
    context: &Context,
    area: &Area<'_>,
    y: Mm,
    style: Style,
    s: &str,
) -> Result<(), genpdf::error::Error> {
    let w = style.str_width(&context.font_cache, s);
    let x = (area.size().width - w) / 2.0;
    if area.print_str(&context.font_cache, Position::new(x, y), style, s)? {
        Ok(())
    } else {
        Err(genpdf::error::Error::new(
            format!("the page furniture `{s}` does not fit on the page"),
            genpdf::error::ErrorKind::PageSizeExceeded,
        ))
    }
}

/// Extends a page's area beyond the decorator call that lends it, so its label
/// can be printed once the page count is known.
///
/// # Safety
/// Sound for genpdf 0.2.0 (pinned in Cargo.toml), whose `Document::render` and
/// `render::Renderer` were read for this: the area refers to its page's only
/// `Layer`, which lives in that page's own `Vec<Layer>` buffer; genpdf never
/// adds a layer to a page, so adding pages moves `Page` values but never that
/// buffer, and pages are only freed by `Renderer::write`, after the document's
/// last element has rendered. The caller must use the area only from that last
/// element (`PageNumbers`), which takes all bands out so none outlives it. If
/// rendering fails first, genpdf frees the pages and the bands are dropped unread.
#[allow(unsafe_code)]
unsafe fn keep(area: Area<'_>) -> Area<'static> {
    // SAFETY: as documented above; only the lifetime changes.
    unsafe { std::mem::transmute::<Area<'_>, Area<'static>>(area) }
}

impl PageDecorator for Frame {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: Area<'a>,
        _style: Style,
    ) -> Result<Area<'a>, genpdf::error::Error> {
        let page = self.pages.get() + 1;
        self.pages.set(page);
        let mut record = self.record.borrow_mut();
        record.new_page();
        let (t, r, b, l) = self.geometry.margins;
        area.add_margins(Margins::trbl(t, r, b, l));
        let (mark, small) = (self.geometry.mark(), self.geometry.small());
        let mark_h = mark.line_height(&context.font_cache);
        let small_h = small.line_height(&context.font_cache);
        let w = &*self.wording;

        centered(context, &area, Mm::from(0.0), mark, &w.marking)?;
        record.furniture(None, Mark::Marking { footer: false });
        let mut y = mark_h;
        if page > 1 && area.print_str(&context.font_cache, Position::new(0, y), small, &w.running_head)? {
            record.furniture(None, Mark::Header);
        }
        y += small_h;
        if let Some(draft) = &w.draft {
            centered(context, &area, y, mark, draft)?;
            record.furniture(None, Mark::Header);
        }
        y += mark_h + Mm::from(3.0);

        // A hair of slack, or rounding leaves the last line a fraction too low to print.
        let footer_h = mark_h + small_h * 2.0 + Mm::from(0.5);
        let bottom = area.size().height - footer_h;
        centered(context, &area, bottom, mark, &w.marking)?;
        record.furniture(None, Mark::Marking { footer: true });
        if let Some(foot) = &w.copy_foot {
            centered(context, &area, bottom + mark_h + small_h, small, foot)?;
            record.furniture(None, Mark::Footer);
        }
        #[allow(unsafe_code)]
        self.bands.borrow_mut().push(Band {
            // SAFETY: the band is shared only with `PageNumbers`, the document's
            // last element, which alone reads it (see `keep`).
            area: unsafe { keep(area.clone()) },
            page,
            y: bottom + mark_h,
        });

        area.add_margins(Margins::trbl(y, 0, footer_h + Mm::from(3.0), 0));
        Ok(area)
    }
}

impl Element for PageNumbers {
    fn render(
        &mut self,
        context: &Context,
        _area: Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        // Taken out, so no kept area survives this call (genpdf frees the pages
        // after it).
        let bands = std::mem::take(&mut *self.bands.borrow_mut());
        let total = bands.len().to_string();
        let small = self.geometry.small();
        for band in &bands {
            let label = fill(
                &self.wording.page_pattern,
                &[("page", &band.page.to_string()), ("pages", &total)],
            );
            centered(context, &band.area, band.y, small, &label)?;
            self.record.borrow_mut().furniture(Some(band.page), Mark::Footer);
        }
        self.numbered.set(self.numbered.get() + bands.len());

        let slots = std::mem::take(&mut *self.later.slots.borrow_mut());
        for slot in &slots {
            let mut record = self.record.borrow_mut();
            let Some(target) = record.page_of(&slot.anchor) else {
                continue;
            };
            let label = target.to_string();
            let x = slot.area.size().width - slot.style.str_width(&context.font_cache, &label);
            if slot
                .area
                .print_str(&context.font_cache, Position::new(x, 0), slot.style, &label)?
            {
                record.drawn_on(slot.page, slot.node, 1);
            }
        }
        Ok(RenderResult::default())
    }
}
