//! Imputation: the total of event midpoints including the events without a size, and
//! its extrapolation to events known to exist but absent from the ledger.
//!
//! # The model
//!
//! For the events that have a size, `ln(midpoint)` is regressed (least squares, with a
//! light ridge penalty so rare categories cannot blow up) on what predicts the size of a
//! gathering: the log of the locality's population (with an indicator for "unknown"),
//! the log of the number of reports about the event (big gatherings get many sources),
//! the movement (title), the kind of event (type), the state, a weekend indicator and the
//! log of the number of events that day (the day's national scale). A column enters only
//! when the sized events vary in it, and only while there are at least eight sized
//! events per column; categories need five sized events (states eight).
//!
//! Residuals on real tallies scatter about 2 in natural logs, so how a prediction is
//! taken back from logs decides the answer. Mean smearing (Duan) multiplies every
//! prediction by about exp(σ²/2) ≈ 7, which is right when the missing sizes are like the
//! reported ones and far too high when they are the small ones. So the model says how the
//! missing sizes were selected:
//!
//! # Selection: a tilt of the residuals
//!
//! Suppose a size goes unreported with a chance proportional to `size^(−γ)`. Then the
//! missing sizes follow the reported distribution *tilted* by `exp(−γ·ln size)`: a
//! residual `e` of the band is drawn with weight `exp(−γ·e)`, and the retransformation
//! factor is `Σ exp((1−γ)e) / Σ exp(−γe)` — Duan's smearing at `γ = 0`, about the
//! conditional median at `γ = ½` (for normal residuals exactly), lower beyond.
//!
//! The same selection also acts on the predictors, which are seen for every event: the
//! unsized events' fitted log sizes sit below the sized ones' by about `γ·V/(1−m)` (`V`
//! the variance of fitted log sizes over all events, `m` the unsized share). That gives
//! an estimate of `γ` with a standard error, shrunk toward a prior (`prior_tilt` ±
//! `prior_tilt_sd`) where the predictors say little. This assumes that the missing sizes
//! are selected on what the model cannot see as they are on what it can (the idea of
//! Altonji, Elder and Taber); the interval does not rely on it.
//!
//! # Point and interval
//!
//! The point estimate predicts each unsized event as `exp(xβ)` times the tilted smearing
//! factor of its band at the estimated `γ`. The 90% interval is the union (Manski-style
//! partial identification) of three bootstrap intervals, each with its own resampling:
//!
//! - **like reported**: `γ = 0`, missing sizes behave like reported ones given the
//!   predictors;
//! - **estimated**: `γ` drawn around its estimate;
//! - **lower part**: missing sizes from the lower part of the conditional distribution,
//!   at `γ = 2.5·estimate + 1.645·sd` when the predictors say more about the tilt than
//!   its prior (the mean-shift estimate falls short of the selection when the smallest
//!   events are nearly all missing: about half of it on calibration days), otherwise at
//!   `γ = max(0.75, estimate + 1.645·sd)`. A fixed floor of 0.75 made the interval
//!   wide when sizes are missing like reported ones (docs/calibration.md).
//!
//! A claim outside that interval is refuted under any of the stories.
//!
//! # The bootstrap
//!
//! Each replicate draws coefficients from a normal with the heteroskedasticity-robust
//! (HC1) covariance of the fit (the large-sample equivalent of refitting on resampled
//! cases, at a cost that does not grow with the number of events) and Bayesian-bootstrap
//! weights for the residuals of each band (the smearing factor's own uncertainty, which
//! dominates on heavy tails). Residuals are kept in bands of fitted size (up to
//! `max_bands`, at least forty events each), so small towns are not lent big cities'
//! luck; a band of more than [`RESIDUAL_BINS`] residuals is summarized by that many
//! equal-count bins that keep its mean of `exp(e)`.
//!
//! The unsized events of a band are sorted by fitted size and cut into at most
//! [`CHUNKS`] runs; a run of `n` events gets one residual draw, scaled so that its sum has
//! the right mean and variance (`Σ exp(xβ)·S` and `Σ exp(2xβ)·Var`) and a tail no lighter
//! than the true sum's. One uniform number picks the residual of all three stories, so
//! their totals are drawn together. The cost of a replicate depends on the number of
//! bands, bins and runs, not on the number of events.
//!
//! # Extrapolation
//!
//! When the selection is known to hold more events than the ledger, the unseen events are
//! drawn as what they most likely are: for the estimate and the lower story, events like
//! the smaller half of the known ones (by fitted size) with their residuals tilted as
//! above; for the like-reported story, events like any known one. Their sum is drawn in
//! the same replicates as the unsized events', and the interval is again the union.

use crate::linalg::Matrix;
use crate::rng::Rng;
use crate::rows::{EventRow, EventRows};
use chrono::Datelike;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// How imputation runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImputeConfig {
    /// Bootstrap replicates for the interval.
    pub replicates: usize,
    /// The seed: the same events and seed give the same interval.
    pub seed: u64,
    /// The interval's coverage (0.90 for the 90% interval).
    pub level: f64,
    /// Ridge penalty on every coefficient but the intercept, in units of observations.
    pub ridge: f64,
    /// The "lower part" story: sizes unreported with a chance ∝ size^(−γ). When the
    /// predictors say more about the tilt than its prior, γ is `lower_tilt_factor`
    /// times its estimate plus 1.645 of its standard errors (the estimate falls short
    /// of the selection when the smallest events are nearly all missing); otherwise γ
    /// is `max(lower_tilt, estimate + 1.645 sd)`.
    pub lower_tilt: f64,
    pub lower_tilt_factor: f64,
    /// Where the estimated tilt is shrunk to when the predictors cannot tell, and how
    /// strongly (its prior standard deviation).
    pub prior_tilt: f64,
    pub prior_tilt_sd: f64,
    /// The most residual bands.
    pub max_bands: usize,
    /// Sized events a state needs for its own indicator.
    pub min_state_events: usize,
    /// No missing gathering is drawn larger than the largest reported one times this.
    pub cap_factor: f64,
    /// The same for gatherings absent from the ledger: nothing at all is known of them,
    /// so the cap is looser.
    pub unseen_cap_factor: f64,
}

impl Default for ImputeConfig {
    fn default() -> Self {
        ImputeConfig {
            replicates: 500,
            seed: 20250614,
            level: 0.90,
            ridge: 1.0,
            lower_tilt: 0.75,
            lower_tilt_factor: 2.5,
            prior_tilt: 0.25,
            prior_tilt_sd: 0.25,
            max_bands: 5,
            min_state_events: 30,
            cap_factor: 1.5,
            unseen_cap_factor: 3.0,
        }
    }
}

/// The imputed part of a total: what the events without a size add, with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsizedPart {
    pub events: usize,
    pub point: f64,
    pub low: f64,
    pub high: f64,
}

impl UnsizedPart {
    fn empty() -> UnsizedPart {
        UnsizedPart {
            events: 0,
            point: 0.0,
            low: 0.0,
            high: 0.0,
        }
    }
}

/// The estimated selection of the missing sizes (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The tilt used for the point: size^(−tilt) is the relative chance of going
    /// unreported.
    pub tilt: f64,
    pub tilt_sd: f64,
    /// Whether the predictors informed the tilt (otherwise it is the prior).
    pub from_predictors: bool,
    /// The tilt of the lower story.
    pub lower_tilt: f64,
}

/// The fitted model's description, for `method`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSummary {
    pub columns: Vec<String>,
    pub sized_events: usize,
    pub residual_sd: f64,
    pub replicates: usize,
    pub selection: Selection,
}

impl ModelSummary {
    pub fn method(&self, level: f64) -> String {
        format!(
            "log-linear regression of event size on {} ({} sized events, residual sd {:.2}); \
             missing sizes taken as unreported with chance ∝ size^-{:.2} ({}); \
             {:.0}% interval from {} bootstrap replicates, the union of missing sizes like \
             reported ones, as estimated, and from the lower part (size^-{:.2})",
            if self.columns.is_empty() {
                "no predictor (too few sized events: the mean log size)".to_string()
            } else {
                self.columns.join(", ")
            },
            self.sized_events,
            self.residual_sd,
            self.selection.tilt,
            if self.selection.from_predictors {
                format!(
                    "estimated from the predictors, ±{:.2}",
                    self.selection.tilt_sd
                )
            } else {
                "the prior: the predictors cannot tell".to_string()
            },
            level * 100.0,
            self.replicates,
            self.selection.lower_tilt,
        )
    }
}

/// Minimum sized events for the model to say anything.
pub const MIN_SIZED_EVENTS: usize = 3;
/// The most bins a band's residuals are summarized by.
pub const RESIDUAL_BINS: usize = 512;
/// The most runs the unsized events of one band and target class are cut into.
pub const CHUNKS: usize = 256;
/// The most unseen events drawn one by one in a replicate (more are scaled from these).
const UNSEEN_DRAWS: usize = 256;
/// Bins of the pools unseen events are drawn from.
const POOL_BINS: usize = 64;
/// Sized events per residual band.
const EVENTS_PER_BAND: usize = 40;
/// Largest tilt considered.
const MAX_TILT: f64 = 1.5;
/// The three stories, in this order in every array below.
const ESTIMATED: usize = 0;
const LIKE_REPORTED: usize = 1;
const LOWER: usize = 2;

/// What predicts an event's size, extracted once.
struct Covariates {
    log_pop: Option<f64>,
    log_sources: Option<f64>,
    event_type: Option<u32>,
    title: Option<u32>,
    state: Option<u32>,
    weekend: Option<bool>,
    log_day_events: Option<f64>,
}

/// The columns of a category's indicators, indexed by the category's interned number
/// (dense, so a lookup per event is an index, not a hash).
#[derive(Default)]
struct Columns(Vec<Option<usize>>);

impl Columns {
    fn get(&self, category: &u32) -> Option<&usize> {
        self.0.get(*category as usize).and_then(Option::as_ref)
    }

    fn insert(&mut self, category: u32, column: usize) {
        let i = category as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, None);
        }
        self.0[i] = Some(column);
    }
}

/// The design: which columns are used and how each event maps onto them.
struct Design {
    names: Vec<String>,
    pop_center: Option<f64>,
    sources_column: Option<(usize, f64)>,
    type_columns: Columns,
    title_columns: Columns,
    state_columns: Columns,
    weekend_column: Option<usize>,
    day_column: Option<(usize, f64)>,
}

impl Design {
    fn width(&self) -> usize {
        self.names.len() + 1
    }

    /// The event's design row, compact: made once per event, spelled out by
    /// [`Design::entries`] wherever it is read.
    fn row(&self, c: &Covariates) -> Row {
        let indicator = |value: Option<u32>, columns: &Columns| {
            value
                .and_then(|v| columns.get(&v))
                .map_or(0, |&col| col as u32)
        };
        let centred = |column: Option<(usize, f64)>, value: Option<f64>| match (column, value) {
            (Some((_, center)), Some(v)) => v - center,
            _ => f64::NAN,
        };
        Row {
            pop: match (self.pop_center, c.log_pop) {
                (Some(center), Some(lp)) => lp - center,
                _ => f64::NAN,
            },
            sources: centred(self.sources_column, c.log_sources),
            day: centred(self.day_column, c.log_day_events),
            indicators: [
                indicator(c.event_type, &self.type_columns),
                indicator(c.title, &self.title_columns),
                indicator(c.state, &self.state_columns),
                match (self.weekend_column, c.weekend) {
                    (Some(col), Some(true)) => col as u32,
                    _ => 0,
                },
            ],
        }
    }

    /// The row's non-zero entries as (column, value), intercept first: most columns are
    /// indicators, so a row has a handful of entries however many columns there are.
    fn entries(&self, row: &Row) -> Entries {
        let mut entries = Entries {
            len: 0,
            items: [(0, 0.0); MAX_ENTRIES],
        };
        entries.push((0, 1.0));
        if self.pop_center.is_some() {
            entries.push(if row.pop.is_nan() {
                (1, 1.0)
            } else {
                (2, row.pop)
            });
        }
        if let Some((col, _)) = self.sources_column {
            if !row.sources.is_nan() {
                entries.push((col, row.sources));
            }
        }
        for col in row.indicators {
            if col != 0 {
                entries.push((col as usize, 1.0));
            }
        }
        if let Some((col, _)) = self.day_column {
            if !row.day.is_nan() {
                entries.push((col, row.day));
            }
        }
        entries
    }
}

/// The most non-zero entries of a design row: the intercept, population, reports, type,
/// title, state, weekend and the day's scale.
const MAX_ENTRIES: usize = 8;

/// An event's design row in 40 bytes: the centred numeric values (NaN where the event
/// has none; for the population, NaN is the "population unknown" indicator) and the
/// columns of its type, title, state and weekend indicators (0 for none: column 0 is
/// the intercept).
#[derive(Debug, Clone, Copy)]
struct Row {
    pop: f64,
    sources: f64,
    day: f64,
    indicators: [u32; 4],
}

/// A design row's non-zero entries, on the stack.
struct Entries {
    len: usize,
    items: [(usize, f64); MAX_ENTRIES],
}

impl Entries {
    fn push(&mut self, entry: (usize, f64)) {
        self.items[self.len] = entry;
        self.len += 1;
    }
}

impl std::ops::Deref for Entries {
    type Target = [(usize, f64)];

    fn deref(&self) -> &[(usize, f64)] {
        &self.items[..self.len]
    }
}

/// Which thread sums which rows of the least-squares matrices.
///
/// `Σ w·x xᵀ` over a million events is the one long serial loop of the fit, and its
/// figures depend on the order of the additions. Every cell of the matrix is its own
/// running sum, though: when each thread adds, in event order, only to the cells of the
/// rows it owns, every cell gets the additions one serial loop would make, in the same
/// order, bit for bit, whatever the number of threads. Rows are shared out by how many
/// events have an entry in them, so the threads do about equal work.
struct CellOwners {
    /// The owning part of each column's row.
    owner: Vec<usize>,
    parts: usize,
}

impl CellOwners {
    fn new(design: &Design, rows: &[Row], events: &[usize]) -> CellOwners {
        let k = design.width();
        let parts = rayon::current_num_threads().clamp(1, 4).min(k);
        let mut load: Vec<(usize, usize)> = events
            .par_chunks(1 << 14)
            .map(|chunk| {
                let mut counts = vec![0usize; k];
                for &i in chunk {
                    let entries = design.entries(&rows[i]);
                    for &(j, _) in entries.iter() {
                        counts[j] += entries.len;
                    }
                }
                counts
            })
            .reduce(
                || vec![0usize; k],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                    a
                },
            )
            .into_iter()
            .enumerate()
            .map(|(j, count)| (count, j))
            .collect();
        // The heaviest rows first, each to the least loaded part.
        load.sort_by(|a, b| b.cmp(a));
        let mut owner = vec![0; k];
        let mut loads = vec![0usize; parts];
        for (count, j) in load {
            let part = (0..parts).min_by_key(|&p| (loads[p], p)).unwrap_or(0);
            owner[j] = part;
            loads[part] += count;
        }
        CellOwners { owner, parts }
    }

    /// `Σ w(i)·x xᵀ` and `Σ x·y(i)` over `events` in their order (events whose `y` is
    /// `None` add nothing to the second), as `matrix[a][b] += (w·x_a)·x_b` and
    /// `vector[a] += x_a·y` would add them in one loop.
    fn sums(
        &self,
        design: &Design,
        rows: &[Row],
        events: &[usize],
        weight: impl Fn(usize) -> f64 + Sync,
        y: impl Fn(usize) -> Option<f64> + Sync,
    ) -> (Matrix, Vec<f64>) {
        let k = design.width();
        let partial: Vec<(Matrix, Vec<f64>)> = (0..self.parts)
            .into_par_iter()
            .map(|part| {
                let mut matrix = Matrix::zeros(k);
                let mut vector = vec![0.0; k];
                let owned = |a: usize| self.owner[a] == part;
                for &i in events {
                    let entries = design.entries(&rows[i]);
                    let w = weight(i);
                    for &(a, xa) in entries.iter().filter(|e| owned(e.0)) {
                        let wa = w * xa;
                        let cells = &mut matrix.data[a * k..(a + 1) * k];
                        for &(b, xb) in entries.iter() {
                            cells[b] += wa * xb;
                        }
                    }
                    if let Some(yi) = y(i) {
                        for &(a, xa) in entries.iter().filter(|e| owned(e.0)) {
                            vector[a] += xa * yi;
                        }
                    }
                }
                (matrix, vector)
            })
            .collect();
        let mut matrix = Matrix::zeros(k);
        let mut vector = vec![0.0; k];
        for (a, &part) in self.owner.iter().enumerate() {
            let (m, v) = &partial[part];
            matrix.data[a * k..(a + 1) * k].copy_from_slice(&m.data[a * k..(a + 1) * k]);
            vector[a] = v[a];
        }
        (matrix, vector)
    }
}

fn sparse_dot(entries: &[(usize, f64)], beta: &[f64]) -> f64 {
    entries.iter().map(|&(j, x)| x * beta[j]).sum()
}

/// The residuals of the sized events whose fitted size falls in one band (bands hold
/// equal numbers of events, from the smallest fitted sizes to the largest), sorted, as
/// at most [`RESIDUAL_BINS`] values with the number of events each stands for.
struct ResidualBand {
    /// The largest fitted log size in the band (infinite for the last).
    upper: f64,
    /// Residuals, ascending.
    residuals: Vec<f64>,
    exp_residuals: Vec<f64>,
    counts: Vec<f64>,
}

impl ResidualBand {
    fn new(upper: f64, mut residuals: Vec<f64>) -> ResidualBand {
        residuals.sort_unstable_by(|a, b| a.total_cmp(b));
        let n = residuals.len();
        let (values, counts): (Vec<f64>, Vec<f64>) = if n <= RESIDUAL_BINS {
            (residuals, vec![1.0; n])
        } else {
            // Equal-count bins, each standing for the mean of exp(e) of its members, so
            // the band's smearing factor is kept exactly.
            (0..RESIDUAL_BINS)
                .map(|b| {
                    let (start, end) = (b * n / RESIDUAL_BINS, (b + 1) * n / RESIDUAL_BINS);
                    let members = &residuals[start..end];
                    let mean_exp =
                        members.iter().map(|e| e.exp()).sum::<f64>() / members.len() as f64;
                    (mean_exp.ln(), members.len() as f64)
                })
                .unzip()
        };
        ResidualBand {
            upper,
            exp_residuals: values.iter().map(|e| e.exp()).collect(),
            residuals: values,
            counts,
        }
    }

    /// The smearing factor under a tilt, with the observed weights.
    #[cfg(test)]
    fn smear(&self, tilt: f64) -> f64 {
        self.capped_mean(1.0, tilt, f64::INFINITY)
    }

    /// The mean of `min(scale·exp(e), cap)` under a tilt, with the observed weights.
    fn capped_mean(&self, scale: f64, tilt: f64, cap: f64) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for ((e, x), c) in self
            .residuals
            .iter()
            .zip(&self.exp_residuals)
            .zip(&self.counts)
        {
            let w = c * (-tilt * e).exp();
            num += w * (scale * x).min(cap);
            den += w;
        }
        num / den
    }
}

/// One replicate's view of a band under one story: cumulative weights for drawing a
/// residual, and the smearing factor and variance of exp(e) under them.
struct Tilted {
    cumulative: Vec<f64>,
    smear: f64,
}

impl Tilted {
    fn fill(&mut self, band: &ResidualBand, weights: &[f64], tilt: f64) {
        self.cumulative.clear();
        let (mut total, mut num) = (0.0, 0.0);
        for ((e, x), w) in band.residuals.iter().zip(&band.exp_residuals).zip(weights) {
            let w = w * (-tilt * e).exp();
            total += w;
            num += w * x;
            self.cumulative.push(total);
        }
        self.smear = if total > 0.0 { num / total } else { 0.0 };
    }

    /// The mean of `min(scale·exp(e), cap)` under this view's weights.
    fn capped_mean(&self, band: &ResidualBand, scale: f64, cap: f64) -> f64 {
        let total = *self.cumulative.last().unwrap_or(&0.0);
        if total <= 0.0 {
            return 0.0;
        }
        let mut previous = 0.0;
        let mut sum = 0.0;
        for (c, x) in self.cumulative.iter().zip(&band.exp_residuals) {
            sum += (c - previous) * (scale * x).min(cap);
            previous = *c;
        }
        sum / total
    }

    /// exp(residual) at the uniform number `u` (inverse of the cumulative weights).
    fn draw(&self, band: &ResidualBand, u: f64) -> f64 {
        let total = *self.cumulative.last().unwrap_or(&0.0);
        let target = u * total;
        let i = self.cumulative.partition_point(|&c| c <= target);
        band.exp_residuals[i.min(band.exp_residuals.len() - 1)]
    }
}

fn mean_var(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

/// The model's covariates of each row, read when needed rather than held for a million
/// events at once: what depends on the day (weekend, the day's number of events) is
/// tabled once per day. Type and title codes are already interned by [`EventRows`]
/// (ranks of the sorted labels), so nothing here touches a string.
struct CovariateReader<'a> {
    rows: &'a [EventRow],
    days: DayTable,
}

/// Per day number: whether it is a weekend day and the log of the number of events
/// that day. Dense over the few days a selection usually spans.
enum DayTable {
    Dense { first: i32, days: Vec<(bool, f64)> },
    Sparse(FxHashMap<i32, (bool, f64)>),
}

fn day_number(d: tally_model::Date) -> i32 {
    d.num_days_from_ce()
}

impl<'a> CovariateReader<'a> {
    fn new(rows: &'a EventRows) -> CovariateReader<'a> {
        let rows = &rows.rows[..];
        let (first, last) = rows
            .par_iter()
            .filter_map(|r| r.date.map(day_number))
            .fold(
                || (i32::MAX, i32::MIN),
                |(lo, hi), d| (lo.min(d), hi.max(d)),
            )
            .reduce(|| (i32::MAX, i32::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
        let weekend = |d: i32| {
            tally_model::Date::from_num_days_from_ce_opt(d)
                .is_some_and(|d| d.weekday().number_from_monday() >= 6)
        };
        let days = if last >= first && last - first < 1_000_000 {
            let span = (last - first + 1) as usize;
            // Counts, so the pieces add up the same in any order; pieces of at least
            // four rows a day, so their tables hold no more than a quarter of a row.
            let per_day = rows
                .par_chunks((span * 4).max(1 << 15))
                .map(|chunk| {
                    let mut per_day = vec![0usize; span];
                    for d in chunk.iter().filter_map(|r| r.date.map(day_number)) {
                        per_day[(d - first) as usize] += 1;
                    }
                    per_day
                })
                .reduce(
                    || vec![0usize; span],
                    |mut a, b| {
                        a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                        a
                    },
                );
            let days = (first..)
                .zip(per_day)
                .map(|(d, count)| (weekend(d), (count as f64).ln()))
                .collect();
            DayTable::Dense { first, days }
        } else {
            let mut per_day: FxHashMap<i32, usize> = FxHashMap::default();
            for d in rows.iter().filter_map(|r| r.date.map(day_number)) {
                *per_day.entry(d).or_default() += 1;
            }
            DayTable::Sparse(
                per_day
                    .into_iter()
                    .map(|(d, count)| (d, (weekend(d), (count as f64).ln())))
                    .collect(),
            )
        };
        CovariateReader { rows, days }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn get(&self, i: usize) -> Covariates {
        let r = &self.rows[i];
        let day = r.date.map(|d| {
            let d = day_number(d);
            match &self.days {
                DayTable::Dense { first, days } => days[(d - first) as usize],
                DayTable::Sparse(days) => days[&d],
            }
        });
        Covariates {
            log_pop: log_population(r),
            // Rows read without their report count say nothing here.
            log_sources: (r.reports > 0).then(|| f64::from(r.reports).ln()),
            event_type: r.event_type,
            title: r.title,
            state: r.state.map(|s| {
                let fips = s.fips().as_bytes();
                u32::from(fips[0] - b'0') * 10 + u32::from(fips[1] - b'0')
            }),
            weekend: day.map(|d| d.0),
            log_day_events: day.map(|d| d.1),
        }
    }
}

fn log_population(r: &EventRow) -> Option<f64> {
    r.population.filter(|&p| p > 0).map(|p| (p as f64).ln())
}

/// A centred numeric column, when the sized events vary in it.
fn numeric_column(values: &[f64]) -> Option<f64> {
    let (center, var) = mean_var(values);
    (values.len() >= 5 && var > 1e-9).then_some(center)
}

/// What the columns are chosen by: the sized events' numeric values in event order,
/// whether weekend and weekday events are among them (`[weekday, weekend]`), and the
/// number of events of each title, type and state code.
#[derive(Default)]
struct ColumnValues {
    pops: Vec<f64>,
    sources: Vec<f64>,
    weekend: [bool; 2],
    days: Vec<f64>,
    categories: [Vec<usize>; 3],
}

impl ColumnValues {
    fn push(&mut self, c: &Covariates) {
        self.pops.extend(c.log_pop);
        self.sources.extend(c.log_sources);
        if let Some(weekend) = c.weekend {
            self.weekend[usize::from(weekend)] = true;
        }
        self.days.extend(c.log_day_events);
        for (counts, category) in self
            .categories
            .iter_mut()
            .zip([c.title, c.event_type, c.state])
        {
            if let Some(c) = category {
                let c = c as usize;
                if counts.len() <= c {
                    counts.resize(c + 1, 0);
                }
                counts[c] += 1;
            }
        }
    }

    /// Adds the values of later events.
    fn append(&mut self, later: ColumnValues) {
        self.pops.extend(later.pops);
        self.sources.extend(later.sources);
        self.days.extend(later.days);
        for (seen, later) in self.weekend.iter_mut().zip(later.weekend) {
            *seen |= later;
        }
        for (counts, later) in self.categories.iter_mut().zip(later.categories) {
            if counts.len() < later.len() {
                counts.resize(later.len(), 0);
            }
            counts.iter_mut().zip(later).for_each(|(a, b)| *a += b);
        }
    }
}

/// Chooses the columns from the sized events.
fn choose_design(covs: &CovariateReader<'_>, sized: &[usize], config: &ImputeConfig) -> Design {
    let n = sized.len();
    let budget = n / 8;
    let mut design = Design {
        names: Vec::new(),
        pop_center: None,
        sources_column: None,
        type_columns: Columns::default(),
        title_columns: Columns::default(),
        state_columns: Columns::default(),
        weekend_column: None,
        day_column: None,
    };
    let room = |design: &Design, extra: usize| design.names.len() + extra < budget;

    // One pass over the sized events gathers what every column is chosen by; codes are
    // dense (label ranks, FIPS numbers), so categories are counted by index. The pass
    // runs on every core, a piece of the events each; the pieces' values are put back
    // in event order (the centres are sums, whose last bits depend on it).
    let pieces: Vec<ColumnValues> = sized
        .par_chunks(1 << 14)
        .map(|chunk| {
            let mut piece = ColumnValues::default();
            for &i in chunk {
                piece.push(&covs.get(i));
            }
            piece
        })
        .collect();
    let mut values = ColumnValues::default();
    for piece in pieces {
        values.append(piece);
    }
    let ColumnValues {
        pops,
        sources,
        weekend,
        days,
        categories: category_counts,
    } = values;
    if room(&design, 2) {
        if let Some(center) = numeric_column(&pops) {
            design.pop_center = Some(center);
            design.names.push("population unknown".into());
            design.names.push("log population".into());
        }
    }
    if room(&design, 1) && sources.len() * 2 >= n {
        if let Some(center) = numeric_column(&sources) {
            design.sources_column = Some((design.width(), center));
            design.names.push("log reports".into());
        }
    }
    if weekend == [true, true] && room(&design, 1) {
        design.weekend_column = Some(design.width());
        design.names.push("weekend".into());
    }
    if room(&design, 1) {
        if let Some(center) = numeric_column(&days) {
            design.day_column = Some((design.width(), center));
            design.names.push("log events that day".into());
        }
    }
    // Categories with enough sized events, the most common as baseline; titles first
    // (the movement matters more than the label of the gathering's form), states last.
    for ((which, least), counts) in [
        ("title", 5),
        ("type", 5),
        ("state", config.min_state_events),
    ]
    .into_iter()
    .zip(category_counts)
    {
        let mut ranked: Vec<(u32, usize)> = (0u32..)
            .zip(counts)
            .filter(|&(_, count)| count > 0)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(category, count) in ranked.iter().skip(1) {
            if count < least || !room(&design, 1) {
                break;
            }
            let col = design.width();
            match which {
                "title" => design.title_columns.insert(category, col),
                "type" => design.type_columns.insert(category, col),
                _ => design.state_columns.insert(category, col),
            };
            design.names.push(format!("{which} indicator"));
        }
    }
    design
}

/// A fitted model.
struct Fit {
    design: Design,
    beta: Vec<f64>,
    /// Cholesky factor of the coefficients' covariance.
    beta_chol: Option<Matrix>,
    bands: Vec<ResidualBand>,
    columns: Vec<String>,
    sized_events: usize,
    residual_sd: f64,
    /// Every event's design row, and its fitted log size.
    rows: Vec<Row>,
    eta: Vec<f64>,
}

impl Fit {
    /// The residual band of a fitted log size.
    fn band_of(&self, eta: f64) -> usize {
        self.bands
            .iter()
            .position(|b| eta <= b.upper)
            .unwrap_or(self.bands.len() - 1)
    }

    /// Fits the model on the sized events; `None` with fewer than [`MIN_SIZED_EVENTS`].
    fn new(covs: &CovariateReader<'_>, y: &[Option<f64>], config: &ImputeConfig) -> Option<Fit> {
        let sized: Vec<usize> = (0..y.len()).filter(|&i| y[i].is_some()).collect();
        if sized.len() < MIN_SIZED_EVENTS {
            return None;
        }
        let design = choose_design(covs, &sized, config);
        match Fit::solve(design, covs, y, &sized, config) {
            Some(fit) => Some(fit),
            // A singular design (it should not happen with the ridge) falls back to the mean.
            None => Fit::solve(
                choose_design(covs, &sized[..0], config),
                covs,
                y,
                &sized,
                config,
            ),
        }
    }

    fn solve(
        design: Design,
        covs: &CovariateReader<'_>,
        y: &[Option<f64>],
        sized: &[usize],
        config: &ImputeConfig,
    ) -> Option<Fit> {
        let k = design.width();
        // Per event and independent of the others: made on every core, in order.
        let rows: Vec<Row> = (0..covs.len())
            .into_par_iter()
            .map(|i| design.row(&covs.get(i)))
            .collect();
        let owners = CellOwners::new(&design, &rows, sized);
        let (mut xtx, xty) = owners.sums(&design, &rows, sized, |_| 1.0, |i| y[i]);
        for j in 1..k {
            xtx.add(j, j, config.ridge);
        }
        let chol = xtx.cholesky()?;
        let beta = Matrix::cholesky_solve(&chol, &xty);
        let eta: Vec<f64> = rows
            .par_iter()
            .map(|row| sparse_dot(&design.entries(row), &beta))
            .collect();
        let residual = |i: usize| y[i].expect("sized") - eta[i];
        let (mut fitted_and_residual, residuals): (Vec<(f64, f64)>, Vec<f64>) = sized
            .par_iter()
            .map(|&i| ((eta[i], residual(i)), residual(i)))
            .unzip();
        let (meat, _) = owners.sums(
            &design,
            &rows,
            sized,
            |i| {
                let e = residual(i);
                e * e
            },
            |_| None,
        );
        let n = sized.len() as f64;
        let bread = Matrix::cholesky_inverse(&chol);
        let mut covariance = bread.mul(&meat).mul(&bread);
        let dof = (n / (n - k as f64).max(1.0)).min(10.0);
        covariance.data.iter_mut().for_each(|v| *v *= dof);
        // Symmetrize and add a hair of jitter so the factorization cannot fail on rounding.
        for i in 0..k {
            for j in 0..i {
                let avg = (covariance.get(i, j) + covariance.get(j, i)) / 2.0;
                covariance.data[i * k + j] = avg;
                covariance.data[j * k + i] = avg;
            }
            covariance.add(i, i, 1e-12);
        }
        let beta_chol = covariance.cholesky();

        let residual_sd = mean_var(&residuals).1.sqrt();
        // Pairs that compare equal are equal bit for bit, so the parallel sort's order
        // is the one order there is.
        fitted_and_residual
            .par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let band_count = (sized.len() / EVENTS_PER_BAND).clamp(1, config.max_bands.max(1));
        let bands: Vec<ResidualBand> = (0..band_count)
            .into_par_iter()
            .map(|b| {
                let start = b * sized.len() / band_count;
                let end = (b + 1) * sized.len() / band_count;
                let upper = if b + 1 == band_count {
                    f64::INFINITY
                } else {
                    fitted_and_residual[end - 1].0
                };
                ResidualBand::new(
                    upper,
                    fitted_and_residual[start..end]
                        .iter()
                        .map(|p| p.1)
                        .collect(),
                )
            })
            .collect();
        let mut columns: Vec<String> = Vec::new();
        for name in &design.names {
            let label = match name.as_str() {
                "population unknown" => continue,
                "title indicator" => "movement (title)",
                "type indicator" => "kind of event",
                "state indicator" => "state",
                other => other,
            };
            if !columns.iter().any(|c| c == label) {
                columns.push(label.to_string());
            }
        }
        Some(Fit {
            design,
            beta,
            beta_chol,
            bands,
            columns,
            sized_events: sized.len(),
            residual_sd,
            rows,
            eta,
        })
    }
}

/// The tilt of the missing sizes, estimated from how far the unsized events' fitted log
/// sizes sit below the sized ones' (see the module docs), shrunk toward the prior.
fn estimate_selection(eta: &[f64], sized: &[bool], config: &ImputeConfig) -> Selection {
    let (mut sized_eta, mut unsized_eta) = (Vec::new(), Vec::new());
    for (&e, &s) in eta.iter().zip(sized) {
        if s {
            sized_eta.push(e);
        } else {
            unsized_eta.push(e);
        }
    }
    let prior_precision = 1.0 / config.prior_tilt_sd.max(1e-6).powi(2);
    let (_, variance) = mean_var(eta);
    let mut tilt = config.prior_tilt;
    let mut precision = prior_precision;
    let mut from_predictors = false;
    // Whether the predictors say more about the tilt than the prior does.
    let mut informative = false;
    if sized_eta.len() >= 2 && !unsized_eta.is_empty() && variance > 0.01 {
        let (mean_sized, var_sized) = mean_var(&sized_eta);
        let (mean_unsized, var_unsized) = mean_var(&unsized_eta);
        let missing = unsized_eta.len() as f64 / eta.len() as f64;
        let scale = (1.0 - missing) / variance;
        let estimate = (mean_sized - mean_unsized) * scale;
        let se = (var_sized / sized_eta.len() as f64 + var_unsized / unsized_eta.len() as f64)
            .sqrt()
            .max(1e-6)
            * scale;
        let data_precision = 1.0 / (se * se);
        tilt = (estimate * data_precision + config.prior_tilt * prior_precision)
            / (data_precision + prior_precision);
        precision = data_precision + prior_precision;
        from_predictors = true;
        informative = data_precision >= prior_precision;
    }
    let tilt = tilt.clamp(0.0, MAX_TILT);
    let tilt_sd = precision.sqrt().recip();
    Selection {
        tilt,
        tilt_sd,
        from_predictors,
        lower_tilt: if informative {
            config.lower_tilt_factor * tilt + 1.645 * tilt_sd
        } else {
            config.lower_tilt.max(tilt + 1.645 * tilt_sd)
        }
        .min(MAX_TILT),
    }
}

/// Which totals an event counts in: each event belongs to one class (`class_of`), and
/// each class adds to a list of targets (one group of a breakdown, or every selection of
/// a joint resampling that holds the event).
pub(crate) struct Targets<'a> {
    pub class_of: &'a [usize],
    pub class_targets: &'a [Vec<usize>],
    pub count: usize,
}

/// Events known to exist but absent from the ledger, added to one target's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unseen<'a> {
    pub events: usize,
    pub target: usize,
    /// The populations of the places the unseen events can be in (every populated
    /// place of the selected area, from the gazetteer), when known.
    pub places: Option<&'a [u64]>,
}

/// What imputation found for each target.
pub(crate) struct Imputation {
    pub parts: Vec<UnsizedPart>,
    /// Per target, the bootstrap replicates of the unsized part (the estimated story).
    pub replicates: Vec<Vec<f64>>,
    /// The unsized part plus the unseen events, for the target given in [`Unseen`];
    /// `events` is the number of unseen events.
    pub extrapolated: Option<UnsizedPart>,
    pub summary: ModelSummary,
}

/// A run of unsized events of one class and band, close in fitted size, drawn together.
struct Run {
    class: usize,
    band: usize,
    events: f64,
    /// Mean of exp(fitted log size) at the fitted coefficients.
    scale: f64,
    /// √Σ exp(2·fitted log size): the run sum's spread per unit spread of exp(e).
    spread: f64,
    /// Mean design row, for moving the scale with each replicate's coefficients.
    x: Vec<f64>,
}

/// Events like some of the known ones, for drawing unseen events.
struct PoolBin {
    scale: f64,
    x: Vec<f64>,
    band: usize,
}

/// A pool bin for events absent from the ledger because nobody reported them (the
/// estimate and the lower story): like known events of mean design row `x` and mean
/// fitted size `scale`, except that they count as reported once when the model uses the
/// number of reports (bigger gatherings get more sources; fewer than one cannot be
/// extrapolated in logs, so one is the generous bound). The like-reported story keeps
/// the known events' counts: there, the ledger merely missed events as well covered.
fn unreported(fit: &Fit, scale: f64, mut x: Vec<f64>) -> PoolBin {
    let mut scale = scale;
    if let Some((col, center)) = fit.design.sources_column {
        let once = 0.0 - center;
        if x[col] > once {
            scale *= (fit.beta[col] * (once - x[col])).exp();
            x[col] = once;
        }
    }
    PoolBin {
        scale,
        band: fit.band_of(scale.ln()),
        x,
    }
}

/// Events in some order: their fitted log sizes and design rows, side by side.
struct Gathered {
    eta: Vec<f64>,
    rows: Vec<Row>,
}

impl Gathered {
    /// The events at `indices` (of `eta` and `rows`), in that order: later passes then
    /// read them in sequence rather than jumping about a million rows (a cache miss
    /// each), and the gathering itself runs on every core.
    fn new(indices: &[usize], eta: &[f64], rows: &[Row]) -> Gathered {
        let (eta, rows) = indices.par_iter().map(|&i| (eta[i], rows[i])).unzip();
        Gathered { eta, rows }
    }
}

/// Cuts events (ascending by fitted size) into at most `bins` equal-count pieces and
/// summarizes each.
fn summarize_runs(
    events: &Gathered,
    range: std::ops::Range<usize>,
    bins: usize,
    design: &Design,
    mut each: impl FnMut(usize, f64, f64, Vec<f64>),
) {
    let (eta, rows) = (&events.eta[range.clone()], &events.rows[range]);
    let n = eta.len();
    let pieces = n.min(bins);
    let k = design.width();
    // Each piece is summed on its own (on any core), in its events' order.
    let summaries: Vec<(usize, f64, f64, Vec<f64>)> = (0..pieces)
        .into_par_iter()
        .map(|p| {
            let members = p * n / pieces..(p + 1) * n / pieces;
            let (mut sum, mut sum_sq) = (0.0, 0.0);
            let mut x = vec![0.0; k];
            for (eta, row) in eta[members.clone()].iter().zip(&rows[members.clone()]) {
                let scale = eta.exp();
                sum += scale;
                sum_sq += scale * scale;
                for &(j, v) in design.entries(row).iter() {
                    x[j] += v;
                }
            }
            let count = members.len() as f64;
            x.iter_mut().for_each(|v| *v /= count);
            (members.len(), sum / count, sum_sq.sqrt(), x)
        })
        .collect();
    for (members, scale, spread, x) in summaries {
        each(members, scale, spread, x);
    }
}

/// Event indices in ascending order of fitted log size (ties by index). Sorting pairs
/// keeps the comparisons in cache, which matters over a million events.
fn sorted_by_eta(indices: Vec<usize>, eta: &[f64]) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = indices.into_iter().map(|i| (eta[i], i)).collect();
    // The keys are distinct, so the parallel sort's order is the one order there is.
    pairs.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    pairs.into_iter().map(|(_, i)| i).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Known events of one size of place, and how many more places of that size there are.
struct PlaceGroup {
    /// Positions in `order` (so ascending by fitted size).
    members: Vec<usize>,
    /// Places of this size in the area that hold no known event; `None` when unknown
    /// (no gazetteer, or events without a population).
    capacity: Option<usize>,
}

/// Bands of place population, two per factor of ten (1,000–3,162, 3,162–10,000, ...).
fn population_band(population: f64) -> usize {
    (2.0 * population.max(1.0).log10()).floor().clamp(0.0, 19.0) as usize
}

/// The known events (in `order`) grouped by the size of their place, with how many
/// places of each size the area has without a known event (`places`: every populated
/// place of the area). Without `places`, one group of every event.
fn place_groups(order: &[usize], rows: &[EventRow], places: Option<&[u64]>) -> Vec<PlaceGroup> {
    let Some(places) = places.filter(|p| !p.is_empty()) else {
        return vec![PlaceGroup {
            members: (0..order.len()).collect(),
            capacity: None,
        }];
    };
    const BANDS: usize = 20;
    let mut in_area = [0usize; BANDS];
    for &p in places {
        in_area[population_band(p as f64)] += 1;
    }
    // Places already holding a known event, told apart by their population (two places
    // of exactly the same population are rare enough to ignore).
    // A selection of a million events has a few thousand places at most: each distinct
    // population is banded once, and each event's band is found in index order (one
    // byte an event) before the events are taken in `order`.
    let mut held: [FxHashSet<u64>; BANDS] = std::array::from_fn(|_| FxHashSet::default());
    let distinct = rows
        .par_iter()
        .filter_map(|r| r.population.filter(|&p| p > 0))
        .fold(FxHashSet::default, |mut seen, p| {
            seen.insert(p);
            seen
        })
        .reduce(FxHashSet::default, |mut a, b| {
            a.extend(b);
            a
        });
    let band_of_population: FxHashMap<u64, u8> = distinct
        .into_iter()
        .map(|p| {
            // The population as the model sees it: the exponential of its log.
            let population = (p as f64).ln().exp();
            let band = population_band(population);
            held[band].insert(population.round() as u64);
            (p, band as u8)
        })
        .collect();
    const UNKNOWN: u8 = u8::MAX;
    let band_of: Vec<u8> = rows
        .par_iter()
        .map(|r| match r.population.filter(|&p| p > 0) {
            Some(p) => band_of_population[&p],
            None => UNKNOWN,
        })
        .collect();
    let mut members: [Vec<usize>; BANDS] = std::array::from_fn(|_| Vec::new());
    let mut unknown = Vec::new();
    for (position, &i) in order.iter().enumerate() {
        match band_of[i] {
            UNKNOWN => unknown.push(position),
            band => members[usize::from(band)].push(position),
        }
    }
    let mut groups: Vec<PlaceGroup> = members
        .into_iter()
        .zip(&held)
        .zip(in_area)
        .filter(|((members, _), _)| !members.is_empty())
        .map(|((members, held), in_area)| PlaceGroup {
            members,
            capacity: Some(in_area.saturating_sub(held.len())),
        })
        .collect();
    if !unknown.is_empty() {
        groups.push(PlaceGroup {
            members: unknown,
            capacity: None,
        });
    }
    groups
}

/// Shares `unseen` events among groups of `known` events in proportion to their sizes
/// (the unseen are like the known), except that no group gets more than its
/// `capacity`: the excess is shared among the others the same way. What no group can
/// take goes to the first group (the smallest places).
fn allocate_unseen(unseen: usize, known: &[usize], capacity: &[Option<usize>]) -> Vec<usize> {
    let n = known.len();
    let mut share = vec![0.0f64; n];
    let mut fixed = vec![false; n];
    loop {
        let taken: f64 = (0..n).filter(|&g| fixed[g]).map(|g| share[g]).sum();
        let open_known: usize = (0..n).filter(|&g| !fixed[g]).map(|g| known[g]).sum();
        let remaining = unseen as f64 - taken;
        if open_known == 0 {
            if remaining > 0.0 && n > 0 {
                share[0] += remaining;
            }
            break;
        }
        let ratio = remaining / open_known as f64;
        let mut changed = false;
        for g in 0..n {
            if fixed[g] {
                continue;
            }
            share[g] = ratio * known[g] as f64;
            if let Some(c) = capacity[g] {
                if share[g] > c as f64 {
                    share[g] = c as f64;
                    fixed[g] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    // Whole events, largest remainders first, summing to `unseen`.
    let mut counts: Vec<usize> = share.iter().map(|s| s.floor() as usize).collect();
    let mut left = unseen.saturating_sub(counts.iter().sum());
    let mut by_remainder: Vec<usize> = (0..n).collect();
    by_remainder.sort_by(|&a, &b| {
        (share[b] - share[b].floor())
            .total_cmp(&(share[a] - share[a].floor()))
            .then(a.cmp(&b))
    });
    for g in by_remainder.into_iter().cycle().take(n * 2) {
        if left == 0 {
            break;
        }
        counts[g] += 1;
        left -= 1;
    }
    counts
}

/// Pools for unseen events: the smaller half of the known events by fitted size (the
/// estimate and the lower story), and, for the like-reported story, the known events by
/// the size of their place, each size of place given its share of the unseen (one pool
/// over every size of place, each bin weighted by its group's share, so a replicate
/// draws how many unseen events each size of place gets, as uniform dropping would,
/// rather than fixing the counts). Returns the small pool, the like pool and the like
/// pool's cumulative weights.
fn unseen_pools(
    fit: &Fit,
    events: &EventRows,
    unseen: Unseen<'_>,
) -> (Vec<PoolBin>, Vec<PoolBin>, Vec<f64>) {
    let mut pool_small = Vec::new();
    let (mut pool_like, mut cumulative_like) = (Vec::new(), Vec::new());
    let order = sorted_by_eta((0..events.len()).collect(), &fit.eta);
    let sorted = Gathered::new(&order, &fit.eta, &fit.rows);
    let half = order.len().div_ceil(2);
    summarize_runs(
        &sorted,
        0..half,
        POOL_BINS,
        &fit.design,
        |_, scale, _, x| pool_small.push(unreported(fit, scale, x)),
    );
    let groups = place_groups(&order, &events.rows, unseen.places);
    let known: Vec<usize> = groups.iter().map(|g| g.members.len()).collect();
    let capacity: Vec<Option<usize>> = groups.iter().map(|g| g.capacity).collect();
    let allocation = allocate_unseen(unseen.events, &known, &capacity);
    let bins = (POOL_BINS / groups.len().max(1)).max(8);
    for (group, events) in groups.into_iter().zip(allocation) {
        if events == 0 {
            continue;
        }
        let first = pool_like.len();
        let members = Gathered::new(&group.members, &sorted.eta, &sorted.rows);
        let all = 0..group.members.len();
        summarize_runs(&members, all, bins, &fit.design, |_, scale, _, x| {
            let band = fit.band_of(scale.ln());
            pool_like.push(PoolBin { scale, x, band })
        });
        let weight = events as f64 / (pool_like.len() - first).max(1) as f64;
        for _ in first..pool_like.len() {
            let total = cumulative_like.last().copied().unwrap_or(0.0);
            cumulative_like.push(total + weight);
        }
    }
    (pool_small, pool_like, cumulative_like)
}

/// One replicate's total of `events` unseen events drawn like the pool's bins (each at
/// its replicate scale, picked uniformly or by the cumulative weights given), with
/// residuals from the story's view of their band, none above the cap. Beyond
/// [`UNSEEN_DRAWS`] events, the draws' deviation from the mean is scaled.
fn draw_unseen(
    events: usize,
    (pool, scales, cumulative): (&[PoolBin], &[f64], Option<&[f64]>),
    (tilted, bands, cap): (&[[Tilted; 3]], &[ResidualBand], f64),
    story: usize,
    rng: &mut Rng,
) -> f64 {
    if events == 0 || pool.is_empty() {
        return 0.0;
    }
    let total_weight = cumulative.and_then(|c| c.last().copied()).unwrap_or(0.0);
    let pick = |u: f64| {
        match cumulative.filter(|_| total_weight > 0.0) {
            Some(c) => c.partition_point(|&w| w <= u * total_weight),
            None => (u * pool.len() as f64) as usize,
        }
        .min(pool.len() - 1)
    };
    let draws = events.min(UNSEEN_DRAWS);
    let mut sum = 0.0;
    for _ in 0..draws {
        let j = pick(rng.uniform());
        let band = pool[j].band;
        sum += (scales[j] * tilted[band][story].draw(&bands[band], rng.uniform())).min(cap);
    }
    if events == draws {
        return sum;
    }
    let (mut mean, mut previous) = (0.0, 0.0);
    for (j, (bin, &s)) in pool.iter().zip(scales).enumerate() {
        let weight = match cumulative.filter(|_| total_weight > 0.0) {
            Some(c) => {
                let w = (c[j] - previous) / total_weight;
                previous = c[j];
                w
            }
            None => 1.0 / pool.len() as f64,
        };
        mean += weight * tilted[bin.band][story].capped_mean(&bands[bin.band], s, cap);
    }
    let (m, d) = (events as f64, draws as f64);
    (m * mean + (m / d).sqrt() * (sum - d * mean)).max(0.0)
}

/// Imputes the unsized events of `events`, split into `groups` by `group_of` (one group
/// for a plain total; one per state, locality or day for a breakdown). The model is fit
/// once on all sized events, so small groups borrow strength from the rest.
///
/// Returns `None` when there are too few sized events to fit anything.
pub(crate) fn impute_groups(
    events: &EventRows,
    group_of: &[usize],
    groups: usize,
    config: &ImputeConfig,
) -> Option<(Vec<UnsizedPart>, ModelSummary)> {
    let class_targets: Vec<Vec<usize>> = (0..groups).map(|g| vec![g]).collect();
    let targets = Targets {
        class_of: group_of,
        class_targets: &class_targets,
        count: groups,
    };
    impute_targets(events, &targets, config, None).map(|i| (i.parts, i.summary))
}

/// [`impute_groups`] for events that may count in several targets at once, and with
/// unseen events for one of them.
pub(crate) fn impute_targets(
    events: &EventRows,
    targets: &Targets<'_>,
    config: &ImputeConfig,
    unseen: Option<Unseen<'_>>,
) -> Option<Imputation> {
    let covs = CovariateReader::new(events);
    let y: Vec<Option<f64>> = events
        .rows
        .par_iter()
        .map(|e| e.midpoint().map(|m| m.max(1.0).ln()))
        .collect();
    let fit = Fit::new(&covs, &y, config)?;
    let eta = &fit.eta;
    let is_sized: Vec<bool> = y.iter().map(Option::is_some).collect();
    let selection = estimate_selection(eta, &is_sized, config);
    let largest = y.iter().flatten().fold(0.0f64, |a, &b| a.max(b)).exp();
    let cap = config.cap_factor * largest;
    let unseen_cap = config.unseen_cap_factor * largest;
    // A breakdown into many groups keeps fewer replicates, so memory stays bounded.
    let replicates = config
        .replicates
        .max(20)
        .min((20_000_000 / (3 * targets.count.max(1))).max(50));

    // The point per class, and the runs of unsized events.
    let classes = targets.class_targets.len();
    let mut class_parts = vec![UnsizedPart::empty(); classes];
    let mut members: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for i in (0..events.len()).filter(|&i| !is_sized[i]) {
        let class = targets.class_of[i];
        let band = fit.band_of(eta[i]);
        class_parts[class].events += 1;
        members.entry((class, band)).or_default().push(i);
    }
    let unseen = unseen.filter(|u| u.events > 0 && u.target < targets.count);
    // The runs of unsized events and the pools of unseen ones are summarized side by
    // side: neither reads the other.
    let (runs, (pool_small, pool_like, cumulative_like)) = rayon::join(
        || {
            let mut runs: Vec<Run> = Vec::new();
            for ((class, band), order) in members {
                let order = sorted_by_eta(order, eta);
                let members = Gathered::new(&order, eta, &fit.rows);
                let all = 0..order.len();
                summarize_runs(&members, all, CHUNKS, &fit.design, |n, scale, spread, x| {
                    runs.push(Run {
                        class,
                        band,
                        events: n as f64,
                        scale,
                        spread,
                        x,
                    })
                });
            }
            runs
        },
        || unseen.map_or_else(Default::default, |u| unseen_pools(&fit, events, u)),
    );

    // The point: each run's events at the tilted smearing factor of their band, a draw
    // above the cap counting as the cap.
    for run in &runs {
        class_parts[run.class].point +=
            run.events * fit.bands[run.band].capped_mean(run.scale, selection.tilt, cap);
    }

    let tail = (1.0 - config.level) / 2.0;
    let inputs = ReplicateInputs {
        fit: &fit,
        selection: &selection,
        runs: &runs,
        targets,
        unseen,
        pool_small: &pool_small,
        pool_like: &pool_like,
        cumulative_like: &cumulative_like,
        cap,
        unseen_cap,
        seed: config.seed,
    };
    let mut target_replicates: Vec<[Vec<f64>; 3]> = (0..targets.count)
        .map(|_| std::array::from_fn(|_| Vec::with_capacity(replicates)))
        .collect();
    let mut unseen_replicates: [Vec<f64>; 3] = std::array::from_fn(|_| Vec::new());
    // Replicates are independent (each has its own random stream, derived from the seed
    // and its number), so they are drawn in parallel, a block at a time so that a
    // breakdown's many targets are not held twice, and kept in their number's order:
    // the answer does not depend on the number of threads.
    for block in (0..replicates).step_by(REPLICATE_BLOCK) {
        let draws: Vec<ReplicateTotals> = (block..(block + REPLICATE_BLOCK).min(replicates))
            .into_par_iter()
            .map_init(|| inputs.scratch(), |scratch, r| inputs.draw(r, scratch))
            .collect();
        for draw in draws {
            for (reps, totals) in target_replicates.iter_mut().zip(&draw.targets) {
                for g in 0..3 {
                    reps[g].push(totals[g]);
                }
            }
            if let Some(totals) = draw.unseen {
                for g in 0..3 {
                    unseen_replicates[g].push(totals[g]);
                }
            }
        }
    }

    // Classes to targets.
    let mut parts = vec![UnsizedPart::empty(); targets.count];
    for (class, members) in targets.class_targets.iter().enumerate() {
        for &t in members {
            parts[t].events += class_parts[class].events;
            parts[t].point += class_parts[class].point;
        }
    }
    let replicates_out: Vec<Vec<f64>> = target_replicates
        .iter()
        .map(|reps| reps[ESTIMATED].clone())
        .collect();
    for (part, reps) in parts.iter_mut().zip(target_replicates.iter_mut()) {
        if part.events == 0 {
            continue;
        }
        (part.low, part.high) = union_interval(reps, tail, part.point);
    }
    let extrapolated = unseen.map(|u| {
        let pool_point = pool_small
            .iter()
            .map(|bin| fit.bands[bin.band].capped_mean(bin.scale, selection.tilt, unseen_cap))
            .sum::<f64>()
            / pool_small.len().max(1) as f64;
        let point = parts[u.target].point + u.events as f64 * pool_point;
        let (low, high) = union_interval(&mut unseen_replicates, tail, point);
        UnsizedPart {
            events: u.events,
            point,
            low,
            high,
        }
    });
    Some(Imputation {
        parts,
        replicates: replicates_out,
        extrapolated,
        summary: ModelSummary {
            columns: fit.columns.clone(),
            sized_events: fit.sized_events,
            residual_sd: fit.residual_sd,
            replicates,
            selection,
        },
    })
}

/// Replicates drawn together on the worker threads, then appended in order.
const REPLICATE_BLOCK: usize = 64;

/// What every bootstrap replicate reads: the fit, the runs of unsized events and the
/// pools of unseen ones.
struct ReplicateInputs<'a> {
    fit: &'a Fit,
    selection: &'a Selection,
    runs: &'a [Run],
    targets: &'a Targets<'a>,
    unseen: Option<Unseen<'a>>,
    pool_small: &'a [PoolBin],
    pool_like: &'a [PoolBin],
    cumulative_like: &'a [f64],
    cap: f64,
    unseen_cap: f64,
    seed: u64,
}

/// One replicate's totals of the three stories: per target, and with unseen events, the
/// unseen events' target including them.
struct ReplicateTotals {
    targets: Vec<[f64; 3]>,
    unseen: Option<[f64; 3]>,
}

/// A worker's buffers, reused from one replicate to the next (every replicate
/// overwrites all of them before reading).
struct Scratch {
    tilted: Vec<[Tilted; 3]>,
    weights: Vec<f64>,
    delta: Vec<f64>,
    z: Vec<f64>,
    shifts_small: Vec<f64>,
    shifts_like: Vec<f64>,
    class_totals: Vec<[f64; 3]>,
}

impl ReplicateInputs<'_> {
    fn scratch(&self) -> Scratch {
        let k = self.fit.design.width();
        Scratch {
            tilted: self
                .fit
                .bands
                .iter()
                .map(|_| {
                    std::array::from_fn(|_| Tilted {
                        cumulative: Vec::new(),
                        smear: 0.0,
                    })
                })
                .collect(),
            weights: Vec::new(),
            delta: vec![0.0; k],
            z: vec![0.0; k],
            shifts_small: vec![0.0; self.pool_small.len()],
            shifts_like: vec![0.0; self.pool_like.len()],
            class_totals: vec![[0.0; 3]; self.targets.class_targets.len()],
        }
    }

    /// Replicate number `r`, from its own random stream.
    fn draw(&self, r: usize, s: &mut Scratch) -> ReplicateTotals {
        let (fit, selection, cap) = (self.fit, self.selection, self.cap);
        let mut rng = Rng::derive(self.seed, r as u64);
        s.z.iter_mut().for_each(|v| *v = rng.normal());
        match &fit.beta_chol {
            Some(l) => s.delta.copy_from_slice(&l.lower_times(&s.z)),
            None => s.delta.iter_mut().for_each(|d| *d = 0.0),
        }
        let tilt = (selection.tilt + selection.tilt_sd * rng.normal()).clamp(0.0, MAX_TILT);
        let tilts = [tilt, 0.0, selection.lower_tilt];
        for (band, views) in fit.bands.iter().zip(s.tilted.iter_mut()) {
            // Bayesian-bootstrap weights of the band's residuals (a bin of c events
            // weighs about Gamma(c)).
            s.weights.clear();
            s.weights.extend(band.counts.iter().map(|&c| {
                if c <= 1.0 {
                    -rng.uniform().max(f64::MIN_POSITIVE).ln()
                } else {
                    (c + c.sqrt() * rng.normal()).max(0.0)
                }
            }));
            for (view, &t) in views.iter_mut().zip(&tilts) {
                view.fill(band, &s.weights, t);
            }
        }
        s.class_totals.iter_mut().for_each(|t| *t = [0.0; 3]);
        for run in self.runs {
            let shift = dot(&run.x, &s.delta).exp();
            let u = rng.uniform();
            let views = &s.tilted[run.band];
            let band = &fit.bands[run.band];
            for (g, view) in views.iter().enumerate() {
                let v = view.draw(band, u);
                let sum = run.events * run.scale * shift * view.smear
                    + run.spread * shift * (v - view.smear);
                s.class_totals[run.class][g] += sum.clamp(0.0, run.events * cap);
            }
        }
        let mut target_totals = vec![[0.0; 3]; self.targets.count];
        for (class, members) in self.targets.class_targets.iter().enumerate() {
            for &t in members {
                for (total, add) in target_totals[t].iter_mut().zip(s.class_totals[class]) {
                    *total += add;
                }
            }
        }
        let unseen = self.unseen.map(|unseen| {
            for (shift, bin) in s.shifts_small.iter_mut().zip(self.pool_small) {
                *shift = bin.scale * dot(&bin.x, &s.delta).exp();
            }
            for (shift, bin) in s.shifts_like.iter_mut().zip(self.pool_like) {
                *shift = bin.scale * dot(&bin.x, &s.delta).exp();
            }
            let views = (&s.tilted[..], &fit.bands[..], self.unseen_cap);
            let mut totals = target_totals[unseen.target];
            for g in [ESTIMATED, LOWER] {
                let pool = (self.pool_small, &s.shifts_small[..], None);
                totals[g] += draw_unseen(unseen.events, pool, views, g, &mut rng);
            }
            let pool = (
                self.pool_like,
                &s.shifts_like[..],
                Some(self.cumulative_like),
            );
            totals[LIKE_REPORTED] +=
                draw_unseen(unseen.events, pool, views, LIKE_REPORTED, &mut rng);
            totals
        });
        ReplicateTotals {
            targets: target_totals,
            unseen,
        }
    }
}

/// The union of the three stories' intervals, holding the point.
fn union_interval(replicates: &mut [Vec<f64>; 3], tail: f64, point: f64) -> (f64, f64) {
    let (mut low, mut high) = (point, point);
    for story in [ESTIMATED, LIKE_REPORTED, LOWER] {
        let reps = &mut replicates[story];
        if reps.is_empty() {
            continue;
        }
        low = low.min(quantile(reps, tail));
        high = high.max(quantile(reps, 1.0 - tail));
    }
    (low.max(0.0), high)
}

/// The `q` quantile by linear interpolation between order statistics.
pub(crate) fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let position = q.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    values[below] * (1.0 - weight) + values[above] * weight
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&mut v, 0.0), 1.0);
        assert_eq!(quantile(&mut v, 1.0), 4.0);
        assert_eq!(quantile(&mut v, 0.5), 2.5);
    }

    #[test]
    fn issue_8_unseen_events_fill_places_that_exist() {
        // Like the known events while no size of place runs out.
        assert_eq!(
            allocate_unseen(30, &[10, 20], &[None, Some(100)]),
            vec![10, 20]
        );
        // The big places are all taken: the rest goes to the others, in proportion.
        assert_eq!(
            allocate_unseen(60, &[10, 10, 20], &[Some(1000), Some(1000), Some(4)]),
            vec![28, 28, 4]
        );
        // Nowhere left at all: the smallest places take the rest.
        assert_eq!(
            allocate_unseen(10, &[5, 5], &[Some(2), Some(1)]),
            vec![9, 1]
        );
        assert_eq!(allocate_unseen(7, &[3], &[None]), vec![7]);
        // Every count sums to the events to place.
        let counts = allocate_unseen(1_000, &[3, 7, 11, 2], &[Some(5), None, Some(40), Some(0)]);
        assert_eq!(counts.iter().sum::<usize>(), 1_000);
        assert_eq!((counts[0], counts[2], counts[3]), (5, 40, 0));
    }

    /// Issue 12: the least-squares sums shared out among threads by rows of the matrix
    /// are, bit for bit, what one loop over the events in order adds up, on any number
    /// of threads.
    #[test]
    fn issue_12_matrix_sums_shared_by_rows_are_the_serial_sums_bit_for_bit() {
        let mut rng = Rng::new(5);
        let mut builder = crate::rows::RowsBuilder::default();
        let first = tally_model::Date::from_ymd_opt(2025, 6, 1).unwrap();
        let states: Vec<tally_model::StateCode> = ["TX", "OH", "CA", "NY", "WA"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        for i in 0..3_000u64 {
            let size = (rng.uniform() * 5_000.0) as u64;
            builder.push(tally_model::SlimEvent {
                date: first.checked_add_days(chrono::Days::new(i % 40)),
                state: Some(states[(i % 5) as usize]),
                locality: None,
                population: Some(1_000 + (rng.uniform() * 1e6) as u64),
                reports: 1 + (i % 4) as u32,
                event_type: Some(["march", "rally", "vigil"][(i % 3) as usize]),
                title: Some(["a", "b", "c", "d"][(i % 4) as usize]),
                size_low: (i % 5 != 0).then_some(size),
                size_high: (i % 5 != 0).then_some(size * 2),
            });
        }
        let events = builder.finish();
        let covs = CovariateReader::new(&events);
        let sized: Vec<usize> = (0..events.len()).filter(|i| i % 5 != 0).collect();
        let design = choose_design(&covs, &sized, &ImputeConfig::default());
        let k = design.width();
        assert!(k > 10, "{:?}", design.names);
        let rows: Vec<Row> = (0..covs.len()).map(|i| design.row(&covs.get(i))).collect();
        let weight = |i: usize| 0.1 + (i % 7) as f64 / 3.0;
        let y = |i: usize| Some((i as f64).sqrt() / 7.0);
        let (mut matrix, mut vector) = (Matrix::zeros(k), vec![0.0; k]);
        for &i in &sized {
            let entries = design.entries(&rows[i]);
            for &(a, xa) in entries.iter() {
                let wa = weight(i) * xa;
                for &(b, xb) in entries.iter() {
                    matrix.data[a * k + b] += wa * xb;
                }
                vector[a] += xa * y(i).unwrap();
            }
        }
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
        for threads in 1..=4 {
            let (m, v) = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let owners = CellOwners::new(&design, &rows, &sized);
                    assert_eq!(owners.parts, threads);
                    owners.sums(&design, &rows, &sized, weight, y)
                });
            assert_eq!(bits(&m.data), bits(&matrix.data), "{threads} threads");
            assert_eq!(bits(&v), bits(&vector), "{threads} threads");
        }
    }

    #[test]
    fn tilting_lowers_the_smearing_factor() {
        // Residuals of a normal with sd 2: Duan's factor about e^2, the tilt by ½ about 1.
        let mut rng = Rng::new(3);
        let residuals: Vec<f64> = (0..20_000).map(|_| 2.0 * rng.normal()).collect();
        let band = ResidualBand::new(f64::INFINITY, residuals);
        assert_eq!(band.residuals.len(), RESIDUAL_BINS);
        let (duan, half, one) = (band.smear(0.0), band.smear(0.5), band.smear(1.0));
        assert!((duan / 2f64.exp() - 1.0).abs() < 0.15, "{duan}");
        assert!((half - 1.0).abs() < 0.1, "{half}");
        assert!(one < half && half < duan);
    }
}
