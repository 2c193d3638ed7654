#!/usr/bin/env python3
"""Regenerates ptbill's NCCI tables in data/ from the CMS extracts in ../shared/data/ncci.

Usage: python3 tools/ncci.py [SHARED_NCCI_DIR]

Output files keep every row CMS published except modifier-indicator-9 rows (an edit
deleted retroactively to its own start: it never applied). Rows are grouped by
column-1 code, one line each:  COLUMN1 COLUMN2/INDICATOR[/LAST_DAY_IN_FORCE] ...
"""
import csv, os, sys, collections

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "ncci")
out = os.path.join(os.path.dirname(__file__), "..", "data")

PTP = [
    ("ptp_practitioner_2024-07-01_any_therapy.csv", "ncci-ptp-practitioner.txt", "practitioner",
     "every practitioner PTP row in which either code is a therapy code (97010-97814, G0281/G0283/G0329)"),
    ("ptp_outpatient_hospital_2024-07-01_therapy_pairs.csv", "ncci-ptp-outpatient-hospital.txt", "outpatient hospital",
     "every outpatient-hospital PTP row in which both codes are therapy codes (the only outpatient-hospital extract available)"),
]

for name, target, label, scope in PTP:
    rows = list(csv.DictReader(open(os.path.join(src, name))))
    kept = [r for r in rows if r["modifier_indicator"] != "9"]
    groups = collections.OrderedDict()
    for r in sorted(kept, key=lambda r: (r["column1"], r["column2"], r["deletion_date"] or "9999")):
        item = r["column2"] + "/" + r["modifier_indicator"]
        if r["deletion_date"]:
            item += "/" + r["deletion_date"].replace("-", "")
        groups.setdefault(r["column1"], []).append(item)
    with open(os.path.join(out, target), "w") as f:
        f.write(f"# CMS Medicare NCCI procedure-to-procedure edits, {label} table\n")
        f.write("# valid_for: 2024-07-01\n")
        f.write(f"# source: CMS NCCI PTP edits effective 2024-07-01 ({label}), via ../shared/data/ncci/{name}\n")
        f.write("#   (recovered from andrewallenbruce/northstar@a37fd49831c3614a1eaa279d4addf06ad35798c4; see that README)\n")
        f.write(f"# scope: {scope}\n")
        f.write(f"# extracted: tools/ncci.py; {len(rows)} rows read, {len(rows) - len(kept)} indicator-9 rows dropped, {len(kept)} kept\n")
        f.write("# format: COLUMN1 then COLUMN2/INDICATOR[/LAST_DAY_IN_FORCE as YYYYMMDD]; indicator 0 = never together, 1 = modifier allowed\n")
        f.write("# effective (start) dates were not recoverable: an edit is taken to apply from the start of the data until its last day\n")
        for c1, items in groups.items():
            f.write(c1 + " " + " ".join(items) + "\n")
    print(target, len(kept), "rows")

rows = list(csv.DictReader(open(os.path.join(src, "mue_therapy_2024-07-01.csv"))))
with open(os.path.join(out, "mue.csv"), "w") as f:
    f.write("# CMS Medicare Medically Unlikely Edits (MUE) for therapy codes\n")
    f.write("# valid_for: 2024-07-01\n")
    f.write("# source: CMS MUE tables effective 2024-07-01, practitioner and outpatient hospital, via ../shared/data/ncci/mue_therapy_2024-07-01.csv\n")
    f.write("# extracted: tools/ncci.py (copied unchanged)\n")
    f.write("# columns: MAI = MUE adjudication indicator (1 per claim line, 2 per day by policy, 3 per day clinical)\n")
    f.write("code,practitioner_mue,practitioner_mai,outpatient_hospital_mue,outpatient_hospital_mai,rationale\n")
    for r in rows:
        f.write(",".join([r["hcpcs_cpt_code"], r["practitioner_mue"], r["practitioner_mai"], r["outpatient_hospital_mue"], r["outpatient_hospital_mai"], r["practitioner_rationale"].replace(",", ";")]) + "\n")
print("mue.csv", len(rows), "rows")
