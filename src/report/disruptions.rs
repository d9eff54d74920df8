//! What each class of disruption did, as a table: the rows and columns the terminal
//! table, Markdown and HTML share, so that every format shows the same figures.

use super::{DisruptionReport, OptionReport, Report, fixed, human_hours};

/// A share as a percentage with one decimal, `-` when it is not a fraction; a share
/// that rounds to 0 or 100 without being it is written `<0.1 %` or `>99.9 %`, so that
/// "100 %" within an RTO means every outage.
pub(crate) fn share(value: f64) -> String {
    if !(0.0..=1.0).contains(&value) {
        "-".to_owned()
    } else if value > 0.0 && value < 0.0005 {
        "<0.1 %".to_owned()
    } else if (0.9995..1.0).contains(&value) {
        ">99.9 %".to_owned()
    } else {
        format!("{} %", fixed(100.0 * value, 1))
    }
}

/// A rate per year with three decimals, and a rate too small for them (a disaster
/// once in ten thousand years) with an exponent, never as `0.000`.
pub(crate) fn per_year(value: f64) -> String {
    if value > 0.0 && value < 0.0005 {
        format!("{value:.1e}")
    } else {
        fixed(value, 3)
    }
}

/// The recovery objectives of the run in words, `RTO 4 h 00 min, RPO 15.0 min`;
/// `None` without either.
pub(crate) fn targets(report: &Report) -> Option<String> {
    let parts: Vec<String> = [("RTO", report.rto_hours), ("RPO", report.rpo_hours)]
        .into_iter()
        .filter_map(|(name, hours)| hours.map(|h| format!("{name} {}", human_hours(h))))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whether an option's disruptions are worth a table: more than one class, a
/// recovery objective to judge them against, or data lost. A single server that only
/// ever fails and is repaired has nothing to add to its outage line.
pub(crate) fn shows(report: &Report, option: &OptionReport) -> bool {
    option.disruptions.len() > 1
        || (!option.disruptions.is_empty() && (report.rto_hours.is_some() || report.rpo_hours.is_some()))
        || option
            .disruptions
            .iter()
            .any(|d| d.data_loss_hours.max > 0.0 || d.data_loss_hours.mean > 0.0 || d.lost_for_good > 0.0)
}

/// Whether any option's disruptions are worth a table.
pub(crate) fn any_shown(report: &Report) -> bool {
    report.options.iter().any(|o| shows(report, o))
}

/// A column: its heading on two lines (the first may be empty), and whether its
/// cells are text (left-aligned) rather than numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Column {
    pub(crate) top: &'static str,
    pub(crate) bottom: &'static str,
    pub(crate) text: bool,
}

impl Column {
    const fn number(top: &'static str, bottom: &'static str) -> Column {
        Column {
            top,
            bottom,
            text: false,
        }
    }

    /// The heading on one line: `outage mean`.
    pub(crate) fn heading(&self) -> String {
        if self.top.is_empty() {
            self.bottom.to_owned()
        } else {
            format!("{} {}", self.top, self.bottom)
        }
    }
}

/// The disruptions of some options as rows of cells under columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub(crate) columns: Vec<Column>,
    /// Per row: the option it belongs to (an index into the options given) and its
    /// cells, one per column.
    pub(crate) rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// The table of `options` (of `report`), with a first column naming the option
    /// when `option_column`. "within RTO" and "within RPO" are columns only when the
    /// report has the target, and "lost for good" only when some class lost data for
    /// good.
    pub(crate) fn new(report: &Report, options: &[&OptionReport], option_column: bool) -> Table {
        let for_good = options
            .iter()
            .flat_map(|o| &o.disruptions)
            .any(|d| d.lost_for_good > 0.0);
        let mut columns = Vec::new();
        if option_column {
            columns.push(Column {
                top: "",
                bottom: "option",
                text: true,
            });
        }
        columns.extend([
            Column {
                top: "",
                bottom: "disruption",
                text: true,
            },
            Column::number("disruptions", "per year"),
            Column::number("outages", "per year"),
            Column::number("outage", "mean"),
            Column::number("outage", "P95"),
            Column::number("outage", "longest"),
        ]);
        let rto = report.rto_hours.is_some();
        let rpo = report.rpo_hours.is_some();
        if rto {
            columns.push(Column::number("within", "RTO"));
        }
        columns.extend([
            Column::number("data lost", "mean"),
            Column::number("data lost", "P95"),
            Column::number("data lost", "most"),
        ]);
        if rpo {
            columns.push(Column::number("within", "RPO"));
        }
        if for_good {
            columns.push(Column::number("lost for", "good"));
        }
        let mut rows = Vec::new();
        for (i, option) in options.iter().enumerate() {
            let years = option.replications as f64 * report.horizon_hours / crate::HOURS_PER_YEAR;
            for d in &option.disruptions {
                let mut cells = Vec::with_capacity(columns.len());
                if option_column {
                    cells.push(option.name.clone());
                }
                cells.extend(row(d, years, rto, rpo, for_good));
                rows.push((i, cells));
            }
        }
        Table { columns, rows }
    }

    /// The table as aligned text, each line indented by `indent`: two heading lines,
    /// text left-aligned, numbers right-aligned.
    pub(crate) fn text(&self, indent: &str) -> String {
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .map(|c| c.top.chars().count().max(c.bottom.chars().count()))
            .collect();
        for (_, cells) in &self.rows {
            for (width, cell) in widths.iter_mut().zip(cells) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut text = indent.to_owned();
            for ((cell, width), column) in cells.iter().zip(&widths).zip(&self.columns) {
                let pad = " ".repeat(width - cell.chars().count());
                if column.text {
                    text += &format!("{cell}{pad}  ");
                } else {
                    text += &format!("{pad}{cell}  ");
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        let mut out = String::new();
        if self.columns.iter().any(|c| !c.top.is_empty()) {
            out += &line(self.columns.iter().map(|c| c.top).collect());
        }
        out += &line(self.columns.iter().map(|c| c.bottom).collect());
        // An option's name on its first row only.
        let named = self.columns.first().is_some_and(|c| c.bottom == "option");
        for (k, (option, cells)) in self.rows.iter().enumerate() {
            let repeated = named && k > 0 && self.rows[k - 1].0 == *option;
            let cells = cells
                .iter()
                .enumerate()
                .map(|(i, c)| if repeated && i == 0 { "" } else { c.as_str() });
            out += &line(cells.collect());
        }
        out
    }
}

/// One class's cells after its name: what the columns of [`Table::new`] hold.
/// Durations of a class that started no outage, and its share within the RTO, are
/// `-`: there is nothing to measure.
fn row(d: &DisruptionReport, years: f64, rto: bool, rpo: bool, for_good: bool) -> Vec<String> {
    let started = d.outages > 0;
    let duration = |hours: f64| if started { human_hours(hours) } else { "-".to_owned() };
    let outages_per_year = if started {
        per_year(d.outages as f64 / years)
    } else {
        "0".to_owned()
    };
    let mut cells = vec![
        d.class.clone(),
        per_year(d.events_per_year),
        outages_per_year,
        duration(d.outage_hours.mean),
        duration(d.outage_hours.p95),
        duration(d.outage_hours.max),
    ];
    if rto {
        cells.push(match d.within_rto {
            Some(s) if started => share(s),
            _ => "-".to_owned(),
        });
    }
    cells.extend([
        human_hours(d.data_loss_hours.mean),
        human_hours(d.data_loss_hours.p95),
        human_hours(d.data_loss_hours.max),
    ]);
    if rpo {
        cells.push(match d.within_rpo {
            Some(s) if d.events_per_year > 0.0 => share(s),
            _ => "-".to_owned(),
        });
    }
    if for_good {
        cells.push(share(d.lost_for_good));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_never_round_to_all_or_nothing() {
        assert_eq!(share(0.0), "0.0 %");
        assert_eq!(share(1.0), "100.0 %");
        assert_eq!(share(0.9333), "93.3 %");
        assert_eq!(share(0.99996), ">99.9 %");
        assert_eq!(share(0.00001), "<0.1 %");
        assert_eq!(share(f64::NAN), "-");
        assert_eq!(share(1.5), "-");
    }

    #[test]
    fn rare_rates_are_not_written_as_zero() {
        assert_eq!(per_year(0.0), "0.000");
        assert_eq!(per_year(0.0198), "0.020");
        assert_eq!(per_year(1.2e-4), "1.2e-4");
        assert_eq!(per_year(f64::NAN), "-");
        assert_eq!(per_year(f64::INFINITY), "-");
    }
}
