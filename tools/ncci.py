#!/usr/bin/env python3
"""Regenerates ptbill's NCCI tables in data/ from the CMS extracts in ../shared/data/ncci.

Usage: python3 tools/ncci.py [SHARED_NCCI_DIR]

Practitioner PTP (2024-07-01) and MUE (2024-07-01): CMS's tables as recovered by northstar; the
extract has deletion dates but no effective dates. Outpatient-hospital PTP: the NCCI edits in force
2026-04-01 as the CMS I/OCE applies them, each with its first I/OCE quarter and last day, joined
with the 2024-07-01 hospital table's rows deleted before 2024-07-01. Add-on code edits: the I/OCE's.
The writers live in tools/ptbill_data.py, shared with tools/update-data (CMS's own file layouts).
"""
import csv, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptbill_data as pd

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "ncci")
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
def read(name):
    return list(csv.DictReader(open(os.path.join(src, name))))

# Practitioner: every row where either code is a therapy code; no start dates in the extract.
prac = [pd.Ptp(r["column1"], r["column2"], r["modifier_indicator"], None, r["deletion_date"] or None)
        for r in read("ptp_practitioner_2024-07-01_any_therapy.csv")]
hosp_ioce = [pd.Ptp(r["column1"], r["column2"], r["modifier_indicator"],
                    None if r["first_quarter_in_ioce"] == "2019-07-01" else r["first_quarter_in_ioce"],
                    r["last_day_in_force"] or None)
             for r in read("ptp_outpatient_hospital_2026-04-01_therapy_pairs.csv")]
hosp_2024 = [pd.Ptp(r["column1"], r["column2"], r["modifier_indicator"], None, r["deletion_date"] or None)
             for r in read("ptp_outpatient_hospital_2024-07-01_therapy_pairs.csv")]
# The I/OCE extract holds rows in force on any day from 2024-07-01; older history comes from the
# 2024-07-01 hospital table (therapy pairs only).
hosp = hosp_ioce + [r for r in hosp_2024 if r.last and r.last < "2024-07-01"]
prac, inferred = pd.infer_2020_gap(prac)
pd.write_ptp(os.path.join(out, "ncci-ptp-practitioner.txt"), prac, [
    "# CMS Medicare NCCI procedure-to-procedure edits, practitioner table",
    "# valid_for: 2024-07-01",
    "# covers_to: 2024-09-30",
    "# source: CMS NCCI PTP edits effective 2024-07-01 (practitioner), via ../shared/data/ncci/ptp_practitioner_2024-07-01_any_therapy.csv",
    "#   (recovered from andrewallenbruce/northstar@a37fd49831c3614a1eaa279d4addf06ad35798c4; see that README)",
    "# scope: every practitioner PTP row in which either code is a therapy code (97010-97814, G0281/G0283/G0329)",
    "# start dates: the extract has none, so an edit applies from the start of the data, EXCEPT (inferred) the",
    f"#   {inferred} rows of pairs deleted 2019-12-31 and re-added: CMS's hospital table (I/OCE) shows those pairs",
    "#   re-added on 2020-10-01, and the practitioner rows are given the same start, marked ~ (inferred).",
])
pd.write_ptp(os.path.join(out, "ncci-ptp-outpatient-hospital.txt"), hosp, [
    "# CMS Medicare NCCI procedure-to-procedure edits, outpatient hospital table (hospital outpatient, SNF Part B, rehab agency, CORF)",
    "# valid_for: 2026-04-01",
    "# covers_to: 2026-06-30",
    "# source: the NCCI hospital PTP edits as the CMS I/OCE applies them, I/OCE 20.2 (2019-07-01) to 27.1 (2026-04-01), via",
    "#   ../shared/data/ncci/ptp_outpatient_hospital_2026-04-01_therapy_pairs.csv (PyPI pyoce 0.1.0, table map_ncci), joined with",
    "#   the rows deleted before 2024-07-01 of ../shared/data/ncci/ptp_outpatient_hospital_2024-07-01_therapy_pairs.csv (northstar)",
    "# scope: rows in force on any day from 2024-07-01 in which either code is a therapy-relevant code (see that README);",
    "#   before 2024-07-01, only pairs of two therapy codes (97010-97814, G0281/G0283/G0329) carry their deletions",
    "# start dates: the first I/OCE quarter that has the row (empty = on or before 2019-07-01, where the I/OCE data begin)",
])
aoc = [pd.Aoc(r["addon_code"], r["primary_code"], r["aoc_type"],
              None if r["first_quarter_in_ioce"] == "2019-07-01" else r["first_quarter_in_ioce"], r["last_day_in_force"] or None)
       for r in read("aoc_outpatient_hospital_2026-04-01_therapy.csv")]
pd.write_aoc(os.path.join(out, "ncci-aoc.csv"), aoc, [
    "# CMS NCCI add-on code edits: the primary codes an add-on code needs on the same day",
    "# valid_for: 2026-04-01",
    "# source: the NCCI add-on code edits as the CMS I/OCE applies them (types 1-3), I/OCE 20.2 (2019-07-01) to 27.1 (2026-04-01),",
    "#   via ../shared/data/ncci/aoc_outpatient_hospital_2026-04-01_therapy.csv (PyPI pyoce 0.1.0, tables map_addon_type1-3)",
    "# scope: rows in force on any day from 2024-07-01 whose add-on or primary code is a therapy-relevant code, or whose add-on is a catalog code",
    "# first_day empty = on or before 2019-07-01; last_day empty = in force 2026-04-01. Type 2 has no listed primary.",
])
mue = [pd.Mue(r["hcpcs_cpt_code"], r["practitioner_mue"], r["practitioner_mai"], r["outpatient_hospital_mue"],
              r["outpatient_hospital_mai"], r["practitioner_rationale"]) for r in read("mue_therapy_2024-07-01.csv")]
pd.write_mue(os.path.join(out, "mue.csv"), mue, [
    "# CMS Medicare Medically Unlikely Edits (MUE) for therapy codes",
    "# valid_for: 2024-07-01",
    "# source: CMS MUE tables effective 2024-07-01, practitioner and outpatient hospital, via ../shared/data/ncci/mue_therapy_2024-07-01.csv",
    "# extracted: tools/ncci.py (copied unchanged)",
])
print("practitioner", len(prac), "rows,", inferred, "starts inferred; outpatient hospital", len(hosp), "rows; add-on", len(aoc), "; mue", len(mue))
