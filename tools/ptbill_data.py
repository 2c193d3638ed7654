"""Writers (and CMS-layout readers) for ptbill's reference tables in data/.

One writer per table, used by tools/ncci.py (the extracts in ../shared/data) and by
tools/update-data (the files exactly as CMS publishes them), so both write byte-identical
tables from the same rows. Python 3 standard library only.
"""
import collections

class Ptp(collections.namedtuple("Ptp", "col1 col2 indicator first last inferred", defaults=(False,))):
    """One PTP edit row; first/last as YYYY-MM-DD or None (open)."""

Aoc = collections.namedtuple("Aoc", "addon primary aoc_type first last")
Mue = collections.namedtuple("Mue", "code prac prac_mai hosp hosp_mai rationale")

def ymd(d):
    return d.replace("-", "") if d else ""

def ptp_lines(rows):
    """COLUMN1 COLUMN2/INDICATOR[/FIRST[/LAST]] ..., sorted; indicator-9 rows (never applied) dropped."""
    kept = sorted({r for r in rows if r.indicator != "9"}, key=lambda r: (r.col1, r.col2, r.first or "", r.last or "9999", r.indicator))
    groups = collections.OrderedDict()
    for r in kept:
        item = f"{r.col2}/{r.indicator}"
        if r.first or r.last:
            item += "/" + ("~" if r.inferred else "") + ymd(r.first)
        if r.last:
            item += "/" + ymd(r.last)
        groups.setdefault(r.col1, []).append(item)
    return [c1 + " " + " ".join(items) for c1, items in groups.items()], len(kept), len(rows) - len(kept)

def write_ptp(path, rows, header):
    lines, kept, dropped = ptp_lines(rows)
    with open(path, "w") as f:
        for h in header:
            f.write(h + "\n")
        f.write(f"# rows: {kept} ({dropped} indicator-9 rows dropped: deleted back to their start, they never applied)\n")
        f.write("# format: COLUMN1 then COLUMN2/INDICATOR[/FIRST_DAY[/LAST_DAY]], dates YYYYMMDD; indicator 0 = never together,\n")
        f.write("#   1 = modifier allowed; an empty FIRST_DAY = from the start of the data; ~ before it = inferred start\n")
        for l in lines:
            f.write(l + "\n")

def infer_2020_gap(prac):
    """Practitioner pairs deleted 2019-12-31 and re-added: CMS's hospital (I/OCE) table shows those pairs
    re-added 2020-10-01 (3,209 of the 4,004 such practitioner pairs are in it, every one re-added that day);
    give the re-added practitioner rows the same start, marked inferred."""
    by = collections.defaultdict(list)
    for r in prac:
        if r.indicator != "9":
            by[(r.col1, r.col2)].append(r)
    out, n = [], 0
    for r in prac:
        rs = by.get((r.col1, r.col2), [])
        gap = any(x.last == "2019-12-31" for x in rs)
        if gap and r.indicator != "9" and r.first is None and (r.last is None or r.last > "2019-12-31"):
            r = r._replace(first="2020-10-01", inferred=True)
            n += 1
        out.append(r)
    return out, n

def write_aoc(path, rows, header):
    with open(path, "w") as f:
        for h in header:
            f.write(h + "\n")
        f.write("addon_code,primary_code,aoc_type,first_day,last_day\n")
        for r in sorted(set(rows)):
            f.write(",".join([r.addon, r.primary, r.aoc_type, r.first or "", r.last or ""]) + "\n")

def write_mue(path, rows, header):
    with open(path, "w") as f:
        for h in header:
            f.write(h + "\n")
        f.write("# columns: MAI = MUE adjudication indicator (1 per claim line, 2 per day by policy, 3 per day clinical)\n")
        f.write("code,practitioner_mue,practitioner_mai,outpatient_hospital_mue,outpatient_hospital_mai,rationale\n")
        for r in rows:
            f.write(",".join([r.code, r.prac, r.prac_mai, r.hosp, r.hosp_mai, r.rationale.replace(",", ";")]) + "\n")
