"""CMS's Medicare NCCI add-on code (AOC) edit file, read as CMS publishes it: a zip (or the .xlsx
itself) named for its quarter, AOC_V2026Q3-MCR, holding an Excel workbook. Python 3 standard
library only (tools/xlsx.py).

The workbook CMS has shipped since 2022 (the Excel copy beside the fixed-width text from 2023-06-05)
has one sheet with a row per add-on/primary pair: "Add-on Code", "AOC Del Dt", "Primary Code",
"Primary Code Del Dt", "AOC Edit Type", "AOC Edit Eff Dt", "AOC Edit Del Dt", "Special Instruction
Notes" (these eight columns as the public build script of the R package northstar reads
AOC_V2024Q2-MCR.xlsx: add_on_code, aoc_del_dt, primary_code, primary_code_del_dt, aoc_edit_type,
aoc_edit_eff_dt, aoc_edit_del_dt, special_instruction_notes). Type 2 add-ons have no listed
primary: their Primary Code is CCCCC. Older releases came as one workbook per type (Type I, II,
III) with the same columns spelled out ("AOC Edit Effective Date", ...): both are read. Header
names are matched without regard to case, spaces and punctuation; notice rows above the header
are skipped. Dates are read as Excel dates or as YYYYMMDD, YYYYDDD (year and day of the year) or
MM/DD/YYYY text; an empty, "*", all-9s or year-9999 deletion date means in force."""
import datetime, io, os, re, zipfile
import xlsx
import ptbill_data as pd

# key: (words for messages, the header names it goes by once normalised)
COLUMNS = {
    "addon": ("Add-on Code", {"add_on_code", "addon_code", "aoc", "add_on_code_aoc"}),
    "primary": ("Primary Code", {"primary_code", "primary_procedure_code"}),
    "type": ("AOC Edit Type", {"aoc_edit_type", "add_on_code_edit_type", "aoc_type", "edit_type"}),
    "first": ("AOC Edit Effective Date", {"aoc_edit_eff_dt", "aoc_edit_effective_date", "edit_effective_date", "effective_date"}),
    "last": ("AOC Edit Deletion Date", {"aoc_edit_del_dt", "aoc_edit_deletion_date", "edit_deletion_date", "deletion_date"}),
}
TYPES = {"1": "1", "I": "1", "2": "2", "II": "2", "3": "3", "III": "3"}
CODE = re.compile(r"[0-9A-Z]{4}[0-9A-Z]")


class AocError(Exception):
    pass


def norm(h):
    return re.sub(r"[^a-z0-9]+", "_", h.lower()).strip("_")


def quarter(name):
    """AOC_V2026Q3-MCR -> 2026-07-01."""
    m = re.search(r"v(\d{4})q([1-4])", name.lower())
    return m and f"{m.group(1)}-{3 * int(m.group(2)) - 2:02d}-01"


def type_of_name(name):
    m = re.search(r"type[ _-]*(iii|ii|i|[123])\b", name.lower())
    return m and TYPES[m.group(1).upper()]


def day(text, where, column):
    """A cell's date as YYYY-MM-DD; None for none (empty, "*", all 9s, or a day of the year 9999)."""
    t = text.strip()
    if t in ("", "*") or re.fullmatch(r"9{7,8}", t):
        return None
    d = _day(t, where, column)
    return None if d.startswith("9999") else d


def _day(t, where, column):
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", t):
            return datetime.date.fromisoformat(t).isoformat()
        if re.fullmatch(r"\d{8}", t):
            return datetime.date(int(t[:4]), int(t[4:6]), int(t[6:])).isoformat()
        if re.fullmatch(r"\d{7}", t):
            return (datetime.date(int(t[:4]), 1, 1) + datetime.timedelta(days=int(t[4:]) - 1)).isoformat()
        m = re.fullmatch(r"(\d\d?)/(\d\d?)/(\d{4})", t)
        if m:
            return datetime.date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
        if re.fullmatch(r"\d{5}(\.0+)?", t):  # an Excel day number in a cell not styled as a date
            return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(t)))).isoformat()
    except ValueError:
        pass
    raise AocError(f"{where}, column {column!r}: {t!r} is not a date")


def workbooks(path):
    """(name, bytes) of the .xlsx workbooks in a zip, or the workbook itself."""
    if path.lower().endswith(".zip"):
        try:
            z = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise AocError(f"{os.path.basename(path)}: not a zip file")
        with z:
            books = [(os.path.basename(n), z.read(n)) for n in sorted(z.namelist()) if n.lower().endswith(".xlsx")]
        if not books:
            raise AocError(f"{os.path.basename(path)}: no .xlsx workbook inside")
        return books
    return [(os.path.basename(path), open(path, "rb").read())]


def read_book(name, data):
    try:
        books = xlsx.sheets(io.BytesIO(data))
    except xlsx.XlsxError as e:
        raise AocError(f"{name}: {e}")
    rows_out, found = [], False
    for sheet, rows in books:
        head_at = next((i for i, r in enumerate(rows) if any(norm(c) in COLUMNS["addon"][1] for c in r)), None)
        if head_at is None:
            continue
        found = True
        head = [norm(c) for c in rows[head_at]]
        col = {}
        for key, (words, names) in COLUMNS.items():
            at = [i for i, h in enumerate(head) if h in names]
            if at:
                col[key] = at[0]
            elif not (key == "type" and type_of_name(name + " " + sheet)):
                raise AocError(f"{name}, sheet {sheet!r}: no {words!r} column (the header row has: "
                               + ", ".join(repr(c) for c in rows[head_at] if c) + ")")
        fixed_type = type_of_name(name + " " + sheet)
        for n, r in enumerate(rows[head_at + 1:], start=head_at + 2):
            r = r + [""] * (len(head) - len(r))
            if not any(x.strip() for x in r):
                continue
            where = f"{name}, sheet {sheet!r}, row {n}"
            addon, primary = r[col["addon"]].strip().upper(), r[col["primary"]].strip().upper()
            if not CODE.fullmatch(addon):
                raise AocError(f"{where}, column {COLUMNS['addon'][0]!r}: {r[col['addon']]!r} is not a HCPCS/CPT code")
            t = TYPES.get(re.sub(r"^type\s*", "", r[col["type"]].strip(), flags=re.I).upper()) if "type" in col else fixed_type
            if t is None:
                raise AocError(f"{where}, column {COLUMNS['type'][0]!r}: {r[col['type']]!r} is not an add-on edit type (1, 2 or 3)")
            if primary in ("", "CCCCC") and t == "2":
                primary = ""
            elif not CODE.fullmatch(primary):
                raise AocError(f"{where}, column {COLUMNS['primary'][0]!r}: {r[col['primary']]!r} is not a HCPCS/CPT code")
            first = day(r[col["first"]], where, COLUMNS["first"][0])
            if first is None:
                raise AocError(f"{where}, column {COLUMNS['first'][0]!r}: empty (every edit has an effective date)")
            rows_out.append(pd.Aoc(addon, primary, t, first, day(r[col["last"]], where, COLUMNS["last"][0])))
    if not found:
        raise AocError(f"{name}: no sheet with an {COLUMNS['addon'][0]!r} column")
    return rows_out


def read(path):
    rows = []
    for name, data in workbooks(path):
        rows += read_book(name, data)
    if not rows:
        raise AocError(f"{os.path.basename(path)}: no add-on code edits")
    return rows
