#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the test
# fixtures: the unit cases and example visits, the audit CSVs, ICD-10-CM codes
# around the data's edges. libFuzzer adds what it finds beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p "$c/check" "$c/audit_bytes" "$c/audit_rows" "$c/icd10"

# check: every visit of tests/fixtures/units.json under both methods, example 3,
# and the docs examples of every rule (the JSON blocks of docs/rules.md).
node -e '
const fs = require("fs");
const out = process.argv[1];
const cases = JSON.parse(fs.readFileSync("tests/fixtures/units.json", "utf8"));
let n = 0;
for (const c of cases) for (const method of ["cms", "ama"])
  fs.writeFileSync(`${out}/unit-${n++}.json`, JSON.stringify({ ...c.visit, method }));
const docs = fs.readFileSync("docs/rules.md", "utf8");
for (const m of docs.matchAll(/```json\n([\s\S]*?)```/g)) fs.writeFileSync(`${out}/docs-${n++}.json`, m[1]);
' "$c/check"
cp tests/fixtures/example3.json "$c/check/example3.json"
printf '\xef\xbb\xbf{"date_of_service":"2026-03-02","lines":[{"code":"97110","minutes":23,"assistant_minutes":3,"units":2,"modifiers":["GP","CQ"]}],"ytd_allowed":2500.5,"setting":"outpatient_hospital","discipline":"pt","payer":"medicare_advantage","diagnoses":["M54.50"]}' >"$c/check/bom-all-fields.json"

# audit_bytes: the audit fixtures as they are.
cp tests/fixtures/audit-bad-rows.csv "$c/audit_bytes/"
cp www/sample-audit.csv "$c/audit_bytes/"
printf 'visit_id;date_of_service;code;minutes\r\nV1;03/02/2026;97110;23\r\n' >"$c/audit_bytes/semicolon.csv"

# audit_rows: the generator reads bytes as choices; a few spreads of choices.
for i in 0 1 2 3; do head -c $((40 * (i + 1))) /dev/urandom >"$c/audit_rows/random-$i"; done
head -c 200 tests/fixtures/audit-bad-rows.csv >"$c/audit_rows/from-csv"

# icd10: CODE\nDATE\nWORDS, billable, header, seventh-character, deleted, unknown, around the fiscal-year edges.
i=0
for code in M54.50 M54.5 m5450 S83.511 S83.511A M25.561 M25.569 Z99.89 724.2 U07.1 R51 G89.29 A00; do
  for date in 2026-03-02 2021-09-30 2021-10-01 2015-10-01 2027-09-30; do
    printf '%s\n%s\n%s' "$code" "$date" "low back pain" >"$c/icd10/seed-$((i++))"
  done
done
echo "fuzz corpora seeded: $(for t in check audit_bytes audit_rows icd10; do printf '%s %s; ' "$t" "$(ls "$c/$t" | wc -l)"; done)"
