//! `check` on a 10-line visit (the figure in the README).
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const VISIT: &str = include_str!("ten-line-visit.json");

fn bench(c: &mut Criterion) {
    let visit = ptbill::parse_visit(VISIT).expect("bench visit parses");
    c.bench_function("check 10-line visit", |b| b.iter(|| ptbill::check(black_box(&visit))));
    c.bench_function("parse + check + JSON, 10-line visit", |b| {
        b.iter(|| ptbill::check_json(black_box(VISIT)))
    });
}

fn icd10(c: &mut Criterion) {
    let date = ptbill::date::Date::parse("2026-03-02").expect("date");
    let set = ptbill::icd10::code_set().expect("native builds embed the code set");
    let desc = ptbill::icd10::descriptions().expect("native builds embed the titles");
    c.bench_function("icd10 look-up (status of M54.5)", |b| {
        b.iter(|| set.status(black_box("M545"), date))
    });
    c.bench_function("icd10 search by code prefix (M54.5)", |b| {
        b.iter(|| desc.search(set, black_box("M54.5"), date, 15))
    });
    c.bench_function("icd10 search by words (low back pain)", |b| {
        b.iter(|| desc.search(set, black_box("low back pain"), date, 15))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(3)).warm_up_time(std::time::Duration::from_secs(1));
    targets = bench, icd10
}
criterion_main!(benches);
