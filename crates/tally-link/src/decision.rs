//! Reviewer decisions: merge, split and reject. They are ledger entries, never edits, and
//! they are applied on every rebuild, so they survive it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use tally_model::{Event, EventId, ReportId};

/// One reviewer decision, in the order the ledger recorded it.
///
/// Decisions name reports, not events: event ids are derived and can change when a new
/// report joins, while report ids never change. [`Decision::merge_events`] turns a
/// reviewer's "merge these events" into the reports they hold at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// These reports are about one gathering: their events become one.
    Merge { reports: Vec<ReportId> },
    /// This report is about a gathering of its own: it leaves its event and joins no other
    /// automatically (a later merge can still put it with others).
    Split { report: ReportId },
    /// This report is not about a gathering (or is wrong): it is left out of events.
    Reject { report: ReportId },
}

impl Decision {
    /// A merge of whole events, as their member reports. Unknown ids are ignored; the
    /// reports are sorted and deduplicated.
    pub fn merge_events(ids: &[EventId], events: &[Event]) -> Decision {
        let wanted: HashSet<&EventId> = ids.iter().collect();
        let reports: BTreeSet<ReportId> = events
            .iter()
            .filter(|e| wanted.contains(&e.id))
            .flat_map(|e| e.reports.iter().copied())
            .collect();
        Decision::Merge {
            reports: reports.into_iter().collect(),
        }
    }
}

/// Decisions folded into what linking needs: who is rejected, who stands alone, and
/// which reports must end up together.
///
/// Order matters: a split takes a report out of the merges recorded before it; a merge
/// recorded after a split puts the report with that merge's reports. A reject is final.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionPlan {
    rejected: HashSet<ReportId>,
    split: HashSet<ReportId>,
    /// Each report in a merge, mapped to the smallest report id of its merged group.
    merge_root: HashMap<ReportId, ReportId>,
}

impl DecisionPlan {
    pub fn new(decisions: &[Decision]) -> DecisionPlan {
        let mut plan = DecisionPlan::default();
        let mut groups: Vec<Vec<ReportId>> = Vec::new();
        for decision in decisions {
            match decision {
                Decision::Reject { report } => {
                    plan.rejected.insert(*report);
                }
                Decision::Split { report } => {
                    plan.split.insert(*report);
                    for group in &mut groups {
                        group.retain(|r| r != report);
                    }
                }
                Decision::Merge { reports } => groups.push(reports.clone()),
            }
        }
        // Groups that share a report are one group: a small union-find over report ids.
        let mut parent: BTreeMap<ReportId, ReportId> = BTreeMap::new();
        fn find(parent: &mut BTreeMap<ReportId, ReportId>, id: ReportId) -> ReportId {
            let mut root = id;
            while let Some(&p) = parent.get(&root) {
                if p == root {
                    break;
                }
                root = p;
            }
            parent.insert(id, root);
            root
        }
        for group in groups.iter().filter(|g| g.len() > 1) {
            for id in group {
                parent.entry(*id).or_insert(*id);
            }
            for pair in group.windows(2) {
                let (a, b) = (find(&mut parent, pair[0]), find(&mut parent, pair[1]));
                let (small, large) = if a < b { (a, b) } else { (b, a) };
                parent.insert(large, small);
            }
        }
        let ids: Vec<ReportId> = parent.keys().copied().collect();
        for id in ids {
            let root = find(&mut parent, id);
            plan.merge_root.insert(id, root);
        }
        plan
    }

    pub fn is_rejected(&self, id: ReportId) -> bool {
        self.rejected.contains(&id)
    }

    pub fn is_split(&self, id: ReportId) -> bool {
        self.split.contains(&id)
    }

    /// The group a report was merged into, named by its smallest report id.
    pub fn merge_root(&self, id: ReportId) -> Option<ReportId> {
        self.merge_root.get(&id).copied()
    }

    /// Every report of the merged group named `root` (see [`DecisionPlan::merge_root`]).
    pub fn merged_with(&self, root: ReportId) -> impl Iterator<Item = ReportId> + '_ {
        self.merge_root
            .iter()
            .filter(move |(_, r)| **r == root)
            .map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_merges_become_one_group() {
        let plan = DecisionPlan::new(&[
            Decision::Merge {
                reports: vec![ReportId(5), ReportId(9)],
            },
            Decision::Merge {
                reports: vec![ReportId(9), ReportId(3)],
            },
        ]);
        assert_eq!(plan.merge_root(ReportId(5)), Some(ReportId(3)));
        assert_eq!(plan.merge_root(ReportId(9)), Some(ReportId(3)));
        assert_eq!(plan.merge_root(ReportId(4)), None);
    }

    #[test]
    fn a_split_undoes_earlier_merges_only() {
        let plan = DecisionPlan::new(&[
            Decision::Merge {
                reports: vec![ReportId(1), ReportId(2)],
            },
            Decision::Split {
                report: ReportId(2),
            },
            Decision::Merge {
                reports: vec![ReportId(2), ReportId(7)],
            },
        ]);
        assert_eq!(plan.merge_root(ReportId(1)), None);
        assert_eq!(plan.merge_root(ReportId(7)), Some(ReportId(2)));
        assert!(plan.is_split(ReportId(2)));
    }

    #[test]
    fn decisions_serialize_as_tagged_json() {
        let d = Decision::Reject {
            report: ReportId(4),
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, r#"{"decision":"reject","report":4}"#);
        assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), d);
    }
}
