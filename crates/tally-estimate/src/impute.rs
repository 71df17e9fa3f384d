//! Imputation: the total of event midpoints including the events without a size.
//!
//! # The model
//!
//! For the events that have a size, `ln(midpoint)` is regressed (least squares, with a
//! light ridge penalty so rare categories cannot blow up) on what predicts the size of a
//! gathering:
//!
//! - the log of the locality's population (centred), with an indicator for "population
//!   unknown" — the strongest predictor, and the one that lets the model extrapolate to
//!   the small towns whose sizes go unreported;
//! - the kind of event (type) and the movement (title), as indicators for the categories
//!   with enough sized events (the rest share the baseline);
//! - the day: a weekend indicator and the log of the number of events that day (a
//!   national day of action draws bigger crowds everywhere).
//!
//! A column enters only when the sized events vary in it, and only while there are at
//! least eight sized events per column, so small selections fall back to fewer
//! predictors (down to the mean log size).
//!
//! Each unsized event is predicted as `exp(xβ)·S`, where `S` is the mean of `exp(residual)`
//! (Duan's smearing: the retransformation from logs without assuming normal residuals)
//! over the sized events whose fitted size is in the same band (up to five bands of at
//! least forty events each): where the largest places over-perform the line or scatter
//! more, their band carries it, and small towns are not lent big cities' luck.
//!
//! # The interval
//!
//! A bootstrap of `replicates` draws. Each draw takes coefficients from a normal with the
//! heteroskedasticity-robust (HC1) covariance of the fit — the large-sample equivalent of
//! refitting on resampled data, at a cost that does not grow with the number of events —
//! and then, for every unsized event, a residual resampled from its band's. Events
//! with the same predictors are summarized together: a cell of `n` events gets `n`
//! resampled residuals when `n` is small, and when it is large a sum of 16 resampled
//! residuals standardized and scaled to `n` (the right mean `nS` and variance `nV`, with a
//! right tail no lighter than the true sum's), which keeps a million events under a second.
//!
//! The residuals of each band are themselves a sample, so each replicate also resamples
//! them and scales its draws by the ratio of the resampled mean to the observed one: the
//! uncertainty of the smearing factor, which matters most for the few big places of the
//! top band.
//!
//! The high end is the upper quantile of these totals. The low end is the lower quantile
//! of totals whose residuals are drawn from the *smaller* part of the residuals only
//! (below `selection_quantile`): sizes go unreported mostly for small gatherings, even
//! among towns of the same population, so the unsized events may be systematically
//! smaller than sized events that look like them. This allowance was chosen by
//! calibration (docs/calibration.md): with it, the 90% interval holds the true total in
//! well over 85% of trials when known sizes are hidden mostly from small events.

use crate::fasthash::FastMap;
use crate::linalg::Matrix;
use crate::rng::Rng;
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};
use tally_model::Event;

/// How imputation runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImputeConfig {
    /// Bootstrap replicates for the interval.
    pub replicates: usize,
    /// The seed: the same events and seed give the same interval.
    pub seed: u64,
    /// The interval's coverage (0.90 for the 90% interval).
    pub level: f64,
    /// The low end draws residuals from below this quantile (see the module docs).
    /// 1.0 turns the allowance off.
    pub selection_quantile: f64,
    /// Ridge penalty on every coefficient but the intercept, in units of observations.
    pub ridge: f64,
}

impl Default for ImputeConfig {
    fn default() -> Self {
        ImputeConfig {
            replicates: 500,
            seed: 20250614,
            level: 0.90,
            selection_quantile: 0.5,
            ridge: 1.0,
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

/// The fitted model's description, for `method`.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSummary {
    pub columns: Vec<String>,
    pub sized_events: usize,
    pub residual_sd: f64,
    pub replicates: usize,
}

impl ModelSummary {
    pub fn method(&self, level: f64) -> String {
        format!(
            "log-linear regression of event size on {} ({} sized events, residual sd {:.2}); \
             {:.0}% interval from {} bootstrap replicates, low end allowing unsized events to be \
             smaller than similar sized ones",
            if self.columns.is_empty() {
                "no predictor (too few sized events: the mean log size)".to_string()
            } else {
                self.columns.join(", ")
            },
            self.sized_events,
            self.residual_sd,
            level * 100.0,
            self.replicates
        )
    }
}

/// Minimum sized events for the model to say anything.
pub const MIN_SIZED_EVENTS: usize = 3;
/// Cells up to this many events get one resampled residual each; larger ones a
/// standardized sum of this many, scaled to their size.
const EXACT_CELL: usize = 16;

/// What predicts an event's size, extracted once.
struct Covariates {
    log_pop: Option<f64>,
    event_type: Option<u32>,
    title: Option<u32>,
    weekend: Option<bool>,
    log_day_events: Option<f64>,
}

/// The design: which columns are used and how each event maps onto them.
struct Design {
    names: Vec<String>,
    pop_center: Option<f64>,
    type_columns: HashMap<u32, usize>,
    title_columns: HashMap<u32, usize>,
    weekend_column: Option<usize>,
    day_column: Option<(usize, f64)>,
}

impl Design {
    fn width(&self) -> usize {
        self.names.len() + 1
    }

    /// Fills `row` (intercept first).
    fn row(&self, c: &Covariates, row: &mut [f64]) {
        row.iter_mut().for_each(|v| *v = 0.0);
        row[0] = 1.0;
        if let Some(center) = self.pop_center {
            match c.log_pop {
                Some(lp) => row[2] = lp - center,
                None => row[1] = 1.0,
            }
        }
        if let Some(&col) = c.event_type.and_then(|t| self.type_columns.get(&t)) {
            row[col] = 1.0;
        }
        if let Some(&col) = c.title.and_then(|t| self.title_columns.get(&t)) {
            row[col] = 1.0;
        }
        if let (Some(col), Some(true)) = (self.weekend_column, c.weekend) {
            row[col] = 1.0;
        }
        if let (Some((col, center)), Some(v)) = (self.day_column, c.log_day_events) {
            row[col] = v - center;
        }
    }

    /// A hashable cell key: events with equal keys get (nearly) equal rows. The
    /// population is binned to 0.1 in log units (10%), which moves a prediction by at
    /// most a few percent and only inside the bootstrap; point predictions are exact.
    fn cell_key(&self, c: &Covariates) -> [i64; 5] {
        let pop_bin = match (self.pop_center, c.log_pop) {
            (Some(_), Some(lp)) => (lp / 0.1).round() as i64,
            (Some(_), None) => i64::MIN,
            (None, _) => 0,
        };
        let type_col = c
            .event_type
            .and_then(|t| self.type_columns.get(&t))
            .map_or(-1, |&x| x as i64);
        let title_col = c
            .title
            .and_then(|t| self.title_columns.get(&t))
            .map_or(-1, |&x| x as i64);
        let weekend = match self.weekend_column {
            Some(_) => i64::from(c.weekend == Some(true)),
            None => 0,
        };
        let day = match (self.day_column, c.log_day_events) {
            (Some(_), Some(v)) => (v / 0.05).round() as i64,
            _ => 0,
        };
        [pop_bin, type_col * 100_000 + title_col, weekend, day, 0]
    }
}

/// A fitted model and the residual summaries the bootstrap needs.
pub(crate) struct Fit {
    design: Design,
    beta: Vec<f64>,
    /// Cholesky factor of the coefficients' covariance.
    beta_chol: Option<Matrix>,
    /// Residuals by band of fitted size (see [`ResidualBand`]).
    bands: Vec<ResidualBand>,
    pub(crate) summary: ModelSummary,
}

/// The residuals of the sized events whose fitted size falls in one band (bands hold
/// equal numbers of events, from the smallest fitted sizes to the largest).
///
/// Unsized events draw residuals from the band of their own fitted size, and their
/// retransformation factor (smearing) is that band's: if the largest places
/// over-perform the log-linear line, or scatter more, their band says so, and a small
/// town is not given a big city's luck.
struct ResidualBand {
    /// The largest fitted log size in the band (infinite for the last).
    upper: f64,
    /// exp(residual) of the band's events, partitioned so that the first `low_count`
    /// are the smaller part (below `selection_quantile`).
    exp_residuals: Vec<f64>,
    low_count: usize,
    smear: f64,
    smear_low: f64,
    /// Variance of exp(residual), over the band and over its smaller part.
    var: f64,
    var_low: f64,
}

impl ResidualBand {
    fn new(upper: f64, residuals: &[f64], selection_quantile: f64) -> ResidualBand {
        let mut values: Vec<f64> = residuals.iter().map(|e| e.exp()).collect();
        let low_count =
            ((values.len() as f64 * selection_quantile).ceil() as usize).clamp(1, values.len());
        // Partition around the cut (linear time); the order inside each part is fixed by
        // the data, so results stay reproducible.
        if low_count < values.len() {
            values.select_nth_unstable_by(low_count - 1, |a, b| a.total_cmp(b));
        }
        let (smear, var) = mean_var(&values);
        let (smear_low, var_low) = mean_var(&values[..low_count]);
        ResidualBand {
            upper,
            exp_residuals: values,
            low_count,
            smear,
            smear_low,
            var,
            var_low,
        }
    }

    fn draw(&self, rng: &mut Rng) -> f64 {
        self.exp_residuals[rng.below(self.exp_residuals.len())]
    }

    fn draw_low(&self, rng: &mut Rng) -> f64 {
        self.exp_residuals[rng.below(self.low_count)]
    }

    /// How much this replicate's band differs from the observed one: the band's residuals
    /// are themselves a sample, so each replicate resamples them and scales its draws by
    /// the ratio of the resampled mean to the observed mean (for the whole band and for
    /// its smaller part). Large bands use the normal approximation of that mean.
    fn replicate_multipliers(&self, rng: &mut Rng) -> (f64, f64) {
        let multiplier = |values: &[f64], mean: f64, var: f64, rng: &mut Rng| {
            let n = values.len();
            if mean <= 0.0 {
                return 1.0;
            }
            let resampled = if n <= 400 {
                (0..n).map(|_| values[rng.below(n)]).sum::<f64>() / n as f64
            } else {
                mean + (var / n as f64).sqrt() * rng.normal()
            };
            (resampled / mean).max(0.0)
        };
        let full = multiplier(&self.exp_residuals, self.smear, self.var, rng);
        let low = multiplier(
            &self.exp_residuals[..self.low_count],
            self.smear_low,
            self.var_low,
            rng,
        );
        (full, low)
    }
}

/// Sized events per residual band, and the most bands.
const EVENTS_PER_BAND: usize = 40;
const MAX_BANDS: usize = 5;

fn mean_var(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var)
}

/// Interns labels (trimmed, lowercase) as indices in sorted order of the normalized
/// names, so indices do not depend on event order. Raw labels are looked up first, so a
/// million events with a handful of distinct labels allocate only a handful of strings.
fn intern<'a>(labels: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<u32>> {
    let mut raw_index: FastMap<&'a str, u32> = FastMap::default();
    let mut normalized: Vec<String> = Vec::new();
    let mut normalized_index: HashMap<String, u32> = HashMap::new();
    let first_pass: Vec<Option<u32>> = labels
        .map(|label| {
            let label = label?;
            if let Some(&i) = raw_index.get(label) {
                return Some(i);
            }
            let name = label.trim().to_lowercase();
            if name.is_empty() {
                return None;
            }
            let next = normalized.len() as u32;
            let i = *normalized_index.entry(name.clone()).or_insert_with(|| {
                normalized.push(name);
                next
            });
            raw_index.insert(label, i);
            Some(i)
        })
        .collect();
    let mut order: Vec<u32> = (0..normalized.len() as u32).collect();
    order.sort_by(|&a, &b| normalized[a as usize].cmp(&normalized[b as usize]));
    let mut rank = vec![0u32; normalized.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    first_pass
        .into_iter()
        .map(|i| i.map(|i| rank[i as usize]))
        .collect()
}

fn covariates(events: &[&Event]) -> Vec<Covariates> {
    let types = intern(events.iter().map(|e| e.event_type.as_deref()));
    let titles = intern(events.iter().map(|e| e.title.as_deref()));
    let mut per_day: FastMap<tally_model::Date, usize> = FastMap::default();
    for e in events {
        if let Some(d) = e.date {
            *per_day.entry(d).or_default() += 1;
        }
    }
    events
        .iter()
        .zip(types)
        .zip(titles)
        .map(|((e, event_type), title)| Covariates {
            log_pop: e
                .place
                .resolved
                .as_ref()
                .and_then(|r| r.population)
                .filter(|&p| p > 0)
                .map(|p| (p as f64).ln()),
            event_type,
            title,
            weekend: e.date.map(|d| d.weekday().number_from_monday() >= 6),
            log_day_events: e.date.map(|d| (per_day[&d] as f64).ln()),
        })
        .collect()
}

/// Chooses the columns from the sized events.
fn choose_design(covs: &[Covariates], sized: &[usize]) -> Design {
    let n = sized.len();
    let budget = n / 8;
    let mut design = Design {
        names: Vec::new(),
        pop_center: None,
        type_columns: HashMap::new(),
        title_columns: HashMap::new(),
        weekend_column: None,
        day_column: None,
    };
    let room = |design: &Design, extra: usize| design.names.len() + extra < budget;

    let pops: Vec<f64> = sized.iter().filter_map(|&i| covs[i].log_pop).collect();
    if pops.len() >= 5 && room(&design, 2) {
        let (center, var) = mean_var(&pops);
        if var > 1e-9 {
            design.pop_center = Some(center);
            design.names.push("population unknown".into());
            design.names.push("log population".into());
        }
    }
    let weekend: Vec<bool> = sized.iter().filter_map(|&i| covs[i].weekend).collect();
    if weekend.iter().any(|&w| w) && weekend.iter().any(|&w| !w) && room(&design, 1) {
        design.weekend_column = Some(design.width());
        design.names.push("weekend".into());
    }
    let days: Vec<f64> = sized
        .iter()
        .filter_map(|&i| covs[i].log_day_events)
        .collect();
    let (day_center, day_var) = mean_var(&days);
    if days.len() >= 5 && day_var > 1e-9 && room(&design, 1) {
        design.day_column = Some((design.width(), day_center));
        design.names.push("log events that day".into());
    }
    // Categories with at least five sized events, the most common as baseline; titles
    // first (the movement matters more than the label of the gathering's form).
    for which in ["title", "type"] {
        let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
        for &i in sized {
            let category = if which == "title" {
                covs[i].title
            } else {
                covs[i].event_type
            };
            if let Some(c) = category {
                *counts.entry(c).or_default() += 1;
            }
        }
        let mut ranked: Vec<(u32, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(category, count) in ranked.iter().skip(1) {
            if count < 5 || !room(&design, 1) {
                break;
            }
            let col = design.width();
            if which == "title" {
                design.title_columns.insert(category, col);
            } else {
                design.type_columns.insert(category, col);
            }
            design.names.push(format!("{which} indicator"));
        }
    }
    design
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
    fn new(
        covs: &[Covariates],
        y: &[Option<f64>],
        config: &ImputeConfig,
        replicates: usize,
    ) -> Option<Fit> {
        let sized: Vec<usize> = (0..y.len()).filter(|&i| y[i].is_some()).collect();
        if sized.len() < MIN_SIZED_EVENTS {
            return None;
        }
        let design = choose_design(covs, &sized);
        let fit = Fit::solve(design, covs, y, &sized, config, replicates);
        match fit {
            Some(fit) => Some(fit),
            // A singular design (it should not happen with the ridge) falls back to the mean.
            None => Fit::solve(
                choose_design(covs, &sized[..0]),
                covs,
                y,
                &sized,
                config,
                replicates,
            ),
        }
    }

    fn solve(
        design: Design,
        covs: &[Covariates],
        y: &[Option<f64>],
        sized: &[usize],
        config: &ImputeConfig,
        replicates: usize,
    ) -> Option<Fit> {
        let k = design.width();
        let mut xtx = Matrix::zeros(k);
        let mut xty = vec![0.0; k];
        let mut row = vec![0.0; k];
        for &i in sized {
            design.row(&covs[i], &mut row);
            let yi = y[i].expect("sized");
            xtx.add_outer(&row, 1.0);
            for (acc, x) in xty.iter_mut().zip(&row) {
                *acc += x * yi;
            }
        }
        for j in 1..k {
            xtx.add(j, j, config.ridge);
        }
        let chol = xtx.cholesky()?;
        let beta = Matrix::cholesky_solve(&chol, &xty);
        let mut residuals = Vec::with_capacity(sized.len());
        let mut fitted_and_residual = Vec::with_capacity(sized.len());
        let mut meat = Matrix::zeros(k);
        for &i in sized {
            design.row(&covs[i], &mut row);
            let fitted: f64 = row.iter().zip(&beta).map(|(x, b)| x * b).sum();
            let e = y[i].expect("sized") - fitted;
            residuals.push(e);
            fitted_and_residual.push((fitted, e));
            meat.add_outer(&row, e * e);
        }
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
        fitted_and_residual.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let band_count = (sized.len() / EVENTS_PER_BAND).clamp(1, MAX_BANDS);
        let bands: Vec<ResidualBand> = (0..band_count)
            .map(|b| {
                let start = b * sized.len() / band_count;
                let end = (b + 1) * sized.len() / band_count;
                let upper = if b + 1 == band_count {
                    f64::INFINITY
                } else {
                    fitted_and_residual[end - 1].0
                };
                let band: Vec<f64> = fitted_and_residual[start..end]
                    .iter()
                    .map(|p| p.1)
                    .collect();
                ResidualBand::new(upper, &band, config.selection_quantile)
            })
            .collect();
        let mut columns: Vec<String> = Vec::new();
        for name in &design.names {
            let label = match name.as_str() {
                "population unknown" => continue,
                "title indicator" => "movement (title)",
                "type indicator" => "kind of event",
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
            summary: ModelSummary {
                columns,
                sized_events: sized.len(),
                residual_sd,
                replicates,
            },
        })
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

/// What imputation found for each target.
pub(crate) struct Imputation {
    pub parts: Vec<UnsizedPart>,
    /// Per target, the bootstrap replicates of the unsized part.
    pub replicates: Vec<Vec<f64>>,
    pub summary: ModelSummary,
}

/// Imputes the unsized events of `events`, split into `groups` by `group_of` (one group
/// for a plain total; one per state, locality or day for a breakdown). The model is fit
/// once on all sized events, so small groups borrow strength from the rest.
///
/// Returns `None` when there are too few sized events to fit anything.
pub(crate) fn impute_groups(
    events: &[&Event],
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
    impute_targets(events, &targets, config).map(|i| (i.parts, i.summary))
}

/// [`impute_groups`] for events that may count in several targets at once.
pub(crate) fn impute_targets(
    events: &[&Event],
    targets: &Targets<'_>,
    config: &ImputeConfig,
) -> Option<Imputation> {
    let group_of = targets.class_of;
    let groups = targets.class_targets.len();
    let covs = covariates(events);
    let y: Vec<Option<f64>> = events
        .iter()
        .map(|e| e.midpoint().map(|m| m.max(1.0).ln()))
        .collect();
    let replicates = config.replicates.max(20);
    let fit = Fit::new(&covs, &y, config, replicates)?;
    let k = fit.design.width();

    // Point predictions (exact), and cells of unsized events for the bootstrap.
    let mut parts: Vec<UnsizedPart> = (0..groups)
        .map(|_| UnsizedPart {
            events: 0,
            point: 0.0,
            low: 0.0,
            high: 0.0,
        })
        .collect();
    let mut cells: FastMap<(usize, [i64; 5]), (usize, Vec<f64>)> = FastMap::default();
    let mut row = vec![0.0; k];
    for (i, c) in covs.iter().enumerate() {
        if y[i].is_some() {
            continue;
        }
        fit.design.row(c, &mut row);
        let eta: f64 = row.iter().zip(&fit.beta).map(|(x, b)| x * b).sum();
        let band = fit.band_of(eta);
        let part = &mut parts[group_of[i]];
        part.events += 1;
        part.point += eta.exp() * fit.bands[band].smear;
        let mut key = fit.design.cell_key(c);
        key[4] = band as i64;
        let cell = cells
            .entry((group_of[i], key))
            .or_insert_with(|| (0, vec![0.0; k]));
        cell.0 += 1;
        for (acc, x) in cell.1.iter_mut().zip(&row) {
            *acc += x;
        }
    }
    type CellEntry = ((usize, [i64; 5]), (usize, Vec<f64>));
    let mut cells: Vec<CellEntry> = cells.into_iter().collect();
    cells.sort_by_key(|cell| cell.0);
    let cells: Vec<(usize, usize, usize, Vec<f64>)> = cells
        .into_iter()
        .map(|((group, key), (count, sum))| {
            let mean = sum.into_iter().map(|s| s / count as f64).collect();
            (group, key[4] as usize, count, mean)
        })
        .collect();

    let mut full: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); groups];
    let mut low: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); groups];
    let mut rng = Rng::new(config.seed);
    let mut z = vec![0.0; k];
    let mut beta = vec![0.0; k];
    let mut totals_full = vec![0.0; groups];
    let mut totals_low = vec![0.0; groups];
    let mut multipliers = vec![(1.0, 1.0); fit.bands.len()];
    for _ in 0..replicates {
        z.iter_mut().for_each(|v| *v = rng.normal());
        match &fit.beta_chol {
            Some(l) => {
                let shift = l.lower_times(&z);
                for j in 0..k {
                    beta[j] = fit.beta[j] + shift[j];
                }
            }
            None => beta.copy_from_slice(&fit.beta),
        }
        totals_full.iter_mut().for_each(|t| *t = 0.0);
        totals_low.iter_mut().for_each(|t| *t = 0.0);
        for (b, band) in fit.bands.iter().enumerate() {
            multipliers[b] = band.replicate_multipliers(&mut rng);
        }
        for (group, band_index, count, x) in &cells {
            let band = &fit.bands[*band_index];
            let (multiplier_full, multiplier_low) = multipliers[*band_index];
            let eta: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let scale = eta.exp();
            let (sum_full, sum_low) = if *count <= EXACT_CELL {
                let mut a = 0.0;
                let mut b = 0.0;
                for _ in 0..*count {
                    a += band.draw(&mut rng);
                    b += band.draw_low(&mut rng);
                }
                (a, b)
            } else {
                // A sum of n draws as n·S plus the standardized sum of EXACT_CELL draws
                // scaled to n: the right mean and variance, and a skew (heavy right tail)
                // no lighter than the true sum's, at a fixed cost per cell.
                let m = EXACT_CELL as f64;
                let n = *count as f64;
                let spread = (n / m).sqrt();
                let mut a = 0.0;
                let mut b = 0.0;
                for _ in 0..EXACT_CELL {
                    a += band.draw(&mut rng);
                    b += band.draw_low(&mut rng);
                }
                let a = n * band.smear + spread * (a - m * band.smear);
                let b = n * band.smear_low + spread * (b - m * band.smear_low);
                (a.max(0.0), b.max(0.0))
            };
            totals_full[*group] += scale * sum_full * multiplier_full;
            totals_low[*group] += scale * sum_low * multiplier_low;
        }
        for g in 0..groups {
            full[g].push(totals_full[g]);
            low[g].push(totals_low[g]);
        }
    }
    // Classes to targets.
    let mut target_parts: Vec<UnsizedPart> = (0..targets.count)
        .map(|_| UnsizedPart {
            events: 0,
            point: 0.0,
            low: 0.0,
            high: 0.0,
        })
        .collect();
    let mut target_full = vec![vec![0.0; replicates]; targets.count];
    let mut target_low = vec![vec![0.0; replicates]; targets.count];
    for (class, members) in targets.class_targets.iter().enumerate() {
        for &t in members {
            target_parts[t].events += parts[class].events;
            target_parts[t].point += parts[class].point;
            for r in 0..replicates {
                target_full[t][r] += full[class][r];
                target_low[t][r] += low[class][r];
            }
        }
    }
    let tail = (1.0 - config.level) / 2.0;
    let replicates_out = target_full.clone();
    for (t, part) in target_parts.iter_mut().enumerate() {
        if part.events == 0 {
            continue;
        }
        part.low = quantile(&mut target_low[t], tail).min(part.point);
        part.high = quantile(&mut target_full[t], 1.0 - tail).max(part.point);
    }
    Some(Imputation {
        parts: target_parts,
        replicates: replicates_out,
        summary: fit.summary,
    })
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
}
