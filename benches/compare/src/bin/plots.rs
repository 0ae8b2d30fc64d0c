//! Draws the growth plots of docs/performance.md from the CSV files in `docs/perf-data/` into
//! `docs/img/*.svg`. `cargo run --release --bin plots` (scripts/perf-growth.sh runs it).

use std::path::Path;

use missions_compare::repo_path;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;

/// A CSV file of the measurement step: header names, then rows of cells.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(name: &str) -> Option<Csv> {
        let text = std::fs::read_to_string(repo_path("docs/perf-data").join(name)).ok()?;
        let mut lines = text.lines();
        let header = lines.next()?.split(',').map(str::to_owned).collect();
        let rows = lines.filter(|l| !l.trim().is_empty()).map(|l| l.split(',').map(str::to_owned).collect()).collect();
        Some(Csv { header, rows })
    }

    /// The (x, y) points of two columns, skipping rows where either is empty.
    fn points(&self, x: &str, y: &str) -> Vec<(f64, f64)> {
        let col = |n: &str| self.header.iter().position(|h| h == n).unwrap_or_else(|| panic!("no column {n}"));
        let (xi, yi) = (col(x), col(y));
        self.rows
            .iter()
            .filter_map(|r| Some((r.get(xi)?.parse().ok()?, r.get(yi)?.parse().ok()?)))
            .collect()
    }
}

struct Series {
    name: &'static str,
    points: Vec<(f64, f64)>,
}

const COLOURS: [RGBColor; 4] = [RGBColor(31, 119, 180), RGBColor(214, 39, 40), RGBColor(44, 160, 44), RGBColor(148, 103, 189)];

fn bounds(series: &[Series]) -> ((f64, f64), (f64, f64)) {
    let pts = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    ((x0, x1), (y0, y1))
}

/// Draw `series` on the given axes (linear or logarithmic) into docs/img/`file`.
#[allow(clippy::too_many_arguments)]
fn draw<X, Y>(
    file: &str,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    x: X,
    y: Y,
    xf: &dyn Fn(&f64) -> String,
    series: &[Series],
) where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64> + Ranged<ValueType = f64>,
    Y::CoordDescType: ValueFormatter<f64> + Ranged<ValueType = f64>,
{
    let path = repo_path("docs/img").join(file);
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).ok();
    let root = SVGBackend::new(&path, (720, 440)).into_drawing_area();
    root.fill(&WHITE).ok();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(xf)
        .y_label_formatter(&|v| num(*v))
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .ok();
    for (k, s) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(s.points.iter().copied(), colour.stroke_width(2)))
            .map(|a| {
                a.label(s.name)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)))
            })
            .ok();
        chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 3, colour.filled()))).ok();
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 13))
            .draw()
            .ok();
    }
    root.present().unwrap_or_else(|e| panic!("{file}: {e}"));
    println!("wrote docs/img/{file}");
}

/// `0.5`, `20`, `1 000`: no trailing `.0`, thousands grouped.
fn num(v: f64) -> String {
    if v != 0.0 && v.abs() < 10.0 && v.fract().abs() > 1e-9 {
        return format!("{v:.1}");
    }
    missions_compare::timing::fmt_count(v)
}

/// Log–log axes over the series, padded a little.
fn loglog(file: &str, title: &str, x_desc: &str, y_desc: &str, series: &[Series]) {
    let ((x0, x1), (y0, y1)) = bounds(series);
    let (x, y) = ((x0 * 0.8..x1 * 1.25).log_scale(), (y0 * 0.7..y1 * 1.4).log_scale());
    draw(file, title, x_desc, y_desc, x, y, &|v| num(*v), series);
}

/// Logarithmic x, linear y from zero.
fn logx(file: &str, title: &str, x_desc: &str, y_desc: &str, series: &[Series]) {
    let ((x0, x1), (_, y1)) = bounds(series);
    draw(file, title, x_desc, y_desc, (x0 * 0.8..x1 * 1.25).log_scale(), 0.0..y1 * 1.15, &|v| num(*v), series);
}

/// Linear axes from zero.
fn linear(file: &str, title: &str, x_desc: &str, y_desc: &str, series: &[Series]) {
    let ((_, x1), (_, y1)) = bounds(series);
    draw(file, title, x_desc, y_desc, 0.0..x1 * 1.05, 0.0..y1 * 1.1, &|v| num(*v), series);
}

/// x on a log-2 scale (1, 2, 4, … 64 evenly spaced), linear y from zero.
fn log2x(file: &str, title: &str, x_desc: &str, y_desc: &str, series: &[Series]) {
    let series: Vec<Series> = series
        .iter()
        .map(|s| Series { name: s.name, points: s.points.iter().map(|&(x, y)| (x.log2(), y)).collect() })
        .collect();
    let ((x0, x1), (_, y1)) = bounds(&series);
    draw(file, title, x_desc, y_desc, x0 - 0.3..x1 + 0.3, 0.0..y1 * 1.15, &|v| num(2f64.powf(v.round())), &series);
}

fn main() {
    if let Some(c) = Csv::read("quote-lines.csv") {
        linear(
            "growth-quote-lines.svg",
            "norriq quote: time against invoice lines",
            "invoice lines (two per work period, plus travel)",
            "µs per quote",
            &[Series { name: "quote", points: c.points("lines", "quote_us") }],
        );
    }
    if let Some(c) = Csv::read("calendar-span.csv") {
        logx(
            "growth-calendar-span.svg",
            "Business calendar: time against span",
            "span in calendar days (log)",
            "ns per call",
            &[
                Series { name: "working_between(start, start + span)", points: c.points("span_days", "working_between_ns") },
                Series { name: "add_working(start, working hours in span)", points: c.points("span_days", "add_working_ns") },
            ],
        );
    }
    if let Some(c) = Csv::read("model-actions.csv") {
        loglog(
            "growth-model-actions.svg",
            "Mission models: time against actions",
            "actions in the model (log)",
            "ms (log)",
            &[
                Series { name: "validate (read YAML + check)", points: c.points("actions", "validate_ms") },
                Series { name: "plan a mission", points: c.points("actions", "plan_ms") },
            ],
        );
    }
    if let Some(c) = Csv::read("http-concurrency.csv") {
        log2x(
            "growth-http-throughput.svg",
            "HTTP esomus quote: throughput against connections",
            "wrk connections (log 2)",
            "requests per second",
            &[Series { name: "quotes/s", points: c.points("connections", "requests_per_sec") }],
        );
        log2x(
            "growth-http-latency.svg",
            "HTTP esomus quote: latency against connections",
            "wrk connections (log 2)",
            "ms",
            &[
                Series { name: "p50", points: c.points("connections", "p50_ms") },
                Series { name: "p99", points: c.points("connections", "p99_ms") },
            ],
        );
    }
}
