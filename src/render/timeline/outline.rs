//! The outline of a split timeline: its pages and, for each year (decade, century), its period,
//! its first page and how many events it holds. Plain data, made once a build by `rail` and kept
//! in the render context (`views::Ctx`), which is why it stands apart from the timeline's views.

use crate::site::TimelinePage;

/// What every page of a split timeline lists of the others: the pages, and each year (decade,
/// century) with its period, its first page and how many events it holds. Made once a build.
pub(in crate::render) struct Outline {
    pub(super) pages: Vec<(TimelinePage, std::ops::Range<usize>)>,
    pub(super) years: Vec<OutlineYear>,
}

pub(super) struct OutlineYear {
    pub(super) era: String,
    pub(super) id: String,
    pub(super) label: String,
    pub(super) count: usize,
    pub(super) page: TimelinePage,
}
