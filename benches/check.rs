//! `check` on a 10-line visit (the figure in the README).
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const VISIT: &str = r#"{"date_of_service": "2026-03-02", "payer": "medicare", "discipline": "pt", "ytd_allowed": 2600,
 "lines": [
  {"code": "97161", "minutes": 30, "modifiers": ["GP"]},
  {"code": "97110", "minutes": 23, "assistant_minutes": 12, "units": 2, "modifiers": ["GP"]},
  {"code": "97112", "minutes": 18, "modifiers": ["GP"]},
  {"code": "97140", "minutes": 12, "modifiers": ["GP", "59"]},
  {"code": "97116", "minutes": 9, "modifiers": ["GP"]},
  {"code": "97530", "minutes": 14, "modifiers": ["GP"]},
  {"code": "97535", "minutes": 8, "modifiers": ["GP"]},
  {"code": "97035", "minutes": 8, "modifiers": ["GP"]},
  {"code": "G0283", "modifiers": ["GP"]},
  {"code": "97150", "modifiers": ["GP"]}
 ],
 "diagnoses": ["M54.50", "M25.561"]}"#;

fn bench(c: &mut Criterion) {
    let visit = ptbill::parse_visit(VISIT).expect("bench visit parses");
    c.bench_function("check 10-line visit", |b| b.iter(|| ptbill::check(black_box(&visit))));
    c.bench_function("parse + check + JSON, 10-line visit", |b| {
        b.iter(|| ptbill::check_json(black_box(VISIT)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
