//! The people index's order: everyone by side (in display order); within a side the principals
//! first, most mentioned first, then everyone else by surname; where each side starts, and which page of a split index shows whom. Worked out once per build, for the
//! index's pages and for every biography's link to its side.

use std::collections::BTreeMap;

use crate::site::*;

use super::{side_key, sort_name};

/// A principal of the story: the chapters mention them at least a tenth as often as the person
/// they mention most (and more than twice). The people index lists a side's principals first,
/// most mentioned first, and then everyone else by surname, so the story's protagonists are not
/// lost among the people named once in passing.
pub(super) fn is_principal(mentions: usize, top: usize) -> bool {
    mentions > 2 && mentions * 10 >= top
}

/// A person's place within their side: principals by mentions (fewer is later), then surname.
type IndexKey = (usize, (String, String));

/// Where the people index is.
pub(super) const PEOPLE_PATH: &str = "people/";

/// The people index's order (by side, then surname), and where each side starts: computed once
/// for the index's pages and for every biography's link to its side.
pub(super) struct PeopleIndex {
    /// Everyone, side by side in display order, by surname within a side.
    pub(super) order: Vec<PersonIx>,
    /// Each side in display order: its label, id, first position in `order` and size.
    pub(super) sides: Vec<SideRange>,
    /// Each person's side (an index into `sides`).
    pub(super) side_of: ByIx<PersonIx, usize>,
    /// How many pages the index has (1 unless there are more than [`PEOPLE_INDEX_LIMIT`]).
    pub(super) pages: usize,
}

pub(super) struct SideRange {
    pub(super) label: String,
    pub(super) id: String,
    pub(super) start: usize,
    pub(super) len: usize,
}

impl PeopleIndex {
    pub(super) fn new(site: &Site) -> PeopleIndex {
        let mut groups: BTreeMap<(bool, String), Vec<PersonIx>> = BTreeMap::new();
        for (i, p) in site.people.iter().enumerate() {
            groups
                .entry(side_order(&p.side))
                .or_default()
                .push(PersonIx(i));
        }
        let top = site.people.iter().map(|p| p.mentions).max().unwrap_or(0);
        let mut order = Vec::with_capacity(site.people.len());
        let mut sides = Vec::with_capacity(groups.len());
        let mut side_of = vec![0; site.people.len()];
        for mut list in groups.into_values() {
            let mut keys: Vec<(IndexKey, PersonIx)> = list
                .iter()
                .map(|&p| {
                    let m = site.people[p].mentions;
                    let rank = if is_principal(m, top) {
                        usize::MAX - m
                    } else {
                        usize::MAX
                    };
                    ((rank, sort_name(&site.people[p].name)), p)
                })
                .collect();
            keys.sort();
            list = keys.into_iter().map(|(_, p)| p).collect();
            let label = &site.people[list[0]].side;
            let label = if label.is_empty() {
                "Others".to_string()
            } else {
                label.clone()
            };
            for &p in &list {
                side_of[p.ix()] = sides.len();
            }
            sides.push(SideRange {
                id: side_key(&label),
                label,
                start: order.len(),
                len: list.len(),
            });
            order.extend(list);
        }
        let pages = if site.people.len() > PEOPLE_INDEX_LIMIT {
            page_count(site.people.len(), PEOPLE_PER_PAGE)
        } else {
            1
        };
        PeopleIndex {
            order,
            sides,
            side_of: ByIx::new(side_of),
            pages,
        }
    }

    pub(super) fn pages(&self) -> usize {
        self.pages
    }

    /// The page (1-based) that shows position `i` of the order.
    fn page_of(&self, i: usize) -> usize {
        if self.pages == 1 {
            1
        } else {
            i / PEOPLE_PER_PAGE + 1
        }
    }

    /// The site-relative URL of a side's heading: on the page where the side starts.
    pub(super) fn side_url(&self, side: usize) -> String {
        let s = &self.sides[side];
        format!(
            "{}#side-{}",
            page_url(PEOPLE_PATH, self.page_of(s.start)),
            s.id
        )
    }

    /// The site-relative URL of person `p`'s side on the people index.
    pub(super) fn person_side_url(&self, p: PersonIx) -> String {
        self.side_url(self.side_of[p])
    }
}
