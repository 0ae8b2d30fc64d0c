//! Business-calendar speed, with the year tables warm (the calendar is built once, outside the
//! timed loops, and its years are touched before measuring). Targets: add 16 working hours
//! < 1 µs, add 2 000 working hours < 20 µs.

#![expect(clippy::expect_used, reason = "a benchmark aborts when its setup fails")]

/// The allocator the `missions` binary ships with (host/src/main.rs), so these figures are the
/// host's. Rule evaluation allocates many small values; see docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use missions_engine::{Calendar, CalendarSpec};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d).and_then(|date| date.and_hms_opt(h, min, 0)).expect("valid date").and_utc()
}

fn calendar(c: &mut Criterion) {
    let cal = Calendar::new(CalendarSpec::belgian_office_hours()).expect("valid spec");
    // A Tuesday mid-morning (Brussels), and the end of the following year.
    let start = utc(2026, 3, 3, 9, 15);
    let year_later = utc(2027, 3, 3, 9, 15);
    let mission_start = NaiveDate::from_ymd_opt(2026, 12, 10).expect("valid date");
    // Warm the tables of every year the benchmarks touch.
    cal.working_between(utc(2025, 6, 1, 0, 0), utc(2028, 6, 1, 0, 0)).expect("in range");

    c.bench_function("add_working 16 h", |b| {
        b.iter(|| cal.add_working(black_box(start), black_box(TimeDelta::hours(16))))
    });
    c.bench_function("add_working 2000 h", |b| {
        b.iter(|| cal.add_working(black_box(start), black_box(TimeDelta::hours(2_000))))
    });
    c.bench_function("working_between one year", |b| {
        b.iter(|| cal.working_between(black_box(start), black_box(year_later)))
    });
    c.bench_function("add_working_days 20", |b| {
        b.iter(|| cal.add_working_days(black_box(mission_start), black_box(20)))
    });
    c.bench_function("next_working_instant friday evening", |b| {
        let friday = utc(2026, 3, 6, 18, 0);
        b.iter(|| cal.next_working_instant(black_box(friday)))
    });
    // What the first query of a year pays once: building the calendar and one year table.
    c.bench_function("cold: new + first year table", |b| {
        b.iter(|| {
            let cal = Calendar::new(CalendarSpec::belgian_office_hours()).expect("valid spec");
            cal.is_working_time(black_box(start))
        })
    });
}

criterion_group!(benches, calendar);
criterion_main!(benches);
