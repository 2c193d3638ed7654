"""Writers (and CMS-layout readers) for ptbill's reference tables in data/.

One writer per table, used by tools/ncci.py (the extracts in ../shared/data) and by
tools/update-data (the files exactly as CMS publishes them), so both write byte-identical
tables from the same rows. Python 3 standard library only.
"""
import collections, os, re

class Ptp(collections.namedtuple("Ptp", "col1 col2 indicator first last inferred", defaults=(False,))):
    """One PTP edit row; first/last as YYYY-MM-DD or None (open)."""

Aoc = collections.namedtuple("Aoc", "addon primary aoc_type first last")
Mue = collections.namedtuple("Mue", "code prac prac_mai hosp hosp_mai rationale")

def ymd(d):
    return d.replace("-", "") if d else ""

def iso(d):
    """YYYYMMDD (or empty) -> YYYY-MM-DD (or None)."""
    return f"{d[:4]}-{d[4:6]}-{d[6:]}" if d else None

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

# ICD-10-CM validity table: one code per line, sorted, front-coded (a digit: characters shared with the
# previous code; the rest; the letter of the first valid date; the letter of the last, if deleted).
# The letters are listed in the `# dates:` header, so the alphabet can grow past 30 dates.
DATE_LETTERS = "abcdefghijklmnopqrstuvwxyz{|}~!$%&'()*+-./:;<=>?@[]^_`"

def validity_lines(span, open_end=None):
    """span: code -> (first YYYYMMDD int or YYYY-MM-DD, last or None). Returns (dates, lines)."""
    def norm(d):
        return None if d is None or d == open_end else str(d).replace("-", "")
    s = {c: (norm(f), norm(t)) for c, (f, t) in span.items()}
    dates = sorted({f for f, _ in s.values()} | {t for _, t in s.values() if t})
    if len(dates) > len(DATE_LETTERS):
        raise SystemExit(f"{len(dates)} dates: more than the {len(DATE_LETTERS)} letters of the validity format")
    idx = {d: DATE_LETTERS[i] for i, d in enumerate(dates)}
    lines, prev = [], ""
    for code in sorted(s):
        p = 0
        while p < min(len(prev), len(code), 9) and prev[p] == code[p]:
            p += 1
        f, t = s[code]
        lines.append(f"{p}{code[p:]}{idx[f]}{idx[t] if t else ''}")
        prev = code
    return [f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in dates], lines, idx

def dates_header(dates):
    return "# dates: " + " ".join(f"{DATE_LETTERS[i]}={d}" for i, d in enumerate(dates))

def read_validity(path):
    head, codes, prev = [], {}, ""
    letters = {}
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("#"):
            head.append(line)
            if line.startswith("# dates:"):
                for kv in line[len("# dates:"):].split():
                    letters[kv[0]] = kv[2:]
            continue
        if not line:
            continue
        shared = int(line[0])
        rest = ""
        i = 1
        while i < len(line) and (line[i].isupper() or line[i].isdigit()):
            rest += line[i]
            i += 1
        code = prev[:shared] + rest
        marks = line[i:]
        codes[code] = (letters[marks[0]], letters[marks[1]] if len(marks) > 1 else None)
        prev = code
    return head, codes

def write_validity(path, codes, last_date, valid_for, source, old_path=None):
    head, _ = read_validity(old_path or path) if os.path.exists(old_path or path) else ([], {})
    dates, lines, _ = validity_lines(codes)
    out = []
    note = f"# updated: tools/update-data from {source}"
    for h in head:
        if h.startswith("# valid_for:"):
            h = re.sub(r"-FY\d{4}$", "-" + valid_for, h)
        elif h.startswith("# last_date:"):
            h = f"# last_date: {last_date}"
        elif h.startswith("# dates:"):
            h = dates_header(dates)
        out.append(h)
    if note not in out:
        i = max((k for k, h in enumerate(out) if h.startswith("# updated:") or h.startswith("# extracted:")), default=len(out) - 1)
        out.insert(i + 1, note)
    with open(path, "w") as f:
        f.write("\n".join(out + lines) + "\n")

def described_codes(path):
    return {l.split("\t", 1)[0] for l in open(path) if not l.startswith(("#", "@")) and "\t" in l}

def add_descriptions(old_path, path, titles, source):
    lines = open(old_path).read().splitlines()
    head = [l for l in lines if l.startswith("#")]
    tables = [l for l in lines if l.startswith("@")]
    body = [l for l in lines if l and not l.startswith(("#", "@"))]
    have = {l.split("\t", 1)[0] for l in body}
    body += [f"{c}\t{' '.join(t.split())}" for c, t in titles.items() if c not in have]
    note = f"# updated: tools/update-data added titles from {source}"
    if note not in head:
        head.append(note)
    body.sort(key=lambda l: l.split("\t", 1)[0])
    with open(path, "w") as f:
        f.write("\n".join(head + tables + body) + "\n")

# Unspecified side, from the code set's structure. Codes are grouped as ICD-10-CM builds them:
# siblings under one parent (for 7th-character codes, the stem's siblings with the same 7th
# character). In a group where some siblings' titles name a side (right, left, bilateral), a
# billable sibling whose title names no side and says "unspecified" is of unspecified side when its
# title matches a sided sibling's, either
#   - as a set of words once side words and "unspecified" are taken out ("Pain in arm, unspecified"
#     ~ "Pain in right arm"; "... affecting unspecified side" ~ "... affecting right dominant side"), or
#   - by position: the words before its "unspecified" are the words before the sibling's side word
#     ("Pain in unspecified limb" ~ "Pain in right arm"), or the words after it are the words after
#     the side word ("... synovium and tendon, unspecified shoulder" ~ "... synovium, right shoulder").
SIDE = re.compile(r"\b(right|left|bilateral)\b", re.I)
UNSP = re.compile(r"\bunsp(ecified)?\b", re.I)
DROP = re.compile(r"\b(right|left|bilateral|unsp|unspecified|dominant|nondominant|non-dominant|side|sides|of|in|the)\b", re.I)

def _sides(t):
    return {m.group(0).lower() for m in SIDE.finditer(t)}

def _words(t):
    return frozenset(DROP.sub(" ", t.lower()).replace(",", " ").split())

def _tail(t):
    return " ".join(re.sub(r"[^\w() ]", " ", t.lower()).split())

def _positional(u, s):
    for m in [m for m in SIDE.finditer(s) if m.group(0).lower() not in _sides(u)]:
        pre, post = s[:m.start()].lower(), _tail(s[m.end():])
        for k in UNSP.finditer(u):
            if m.start() > 0 and u[:k.start()].lower() == pre:
                return True
            if post and _tail(u[k.end():]) == post:
                return True
    return False

def unspecified_side(codes, base_title, is_extension):
    """codes: billable codes; base_title(x): the title that tells the side (a 7th-character code's
    stem's); is_extension(x): its 7th character is an extension (A, D, S, ...). Returns
    ([(KEY, [SIBLING...])], {"words": n, "position": n}); 7th-character keys end in _."""
    def group(x):
        if is_extension(x):
            return (x[:6].rstrip("X")[:-1], x[6]), x[:6] + "_"
        return (x[:-1], ""), x
    groups = {}
    for x in codes:
        groups.setdefault(group(x)[0], set()).add(x)
    compact, how = {}, {"words": 0, "position": 0}
    for members in groups.values():
        titled = {x: base_title(x) for x in members}
        sided = [x for x in sorted(members) if _sides(titled[x])]
        if not sided:
            continue
        for u in sorted(members):
            t = titled[u]
            # It names no side itself; "bilateral" may be part of a condition's name when every sided
            # sibling says it too ("Homonymous bilateral field defects, right side").
            if not UNSP.search(t) or _sides(t) - {"bilateral"}:
                continue
            cand = [s for s in sided if _sides(titled[s]) - _sides(t) and _sides(t) <= _sides(titled[s])]
            match = [s for s in cand if _words(titled[s]) == _words(t)]
            kind = "words"
            if not match:
                match, kind = [s for s in cand if _positional(t, titled[s])], "position"
            # Only "bilateral" matched ("Visual discomfort, bilateral" ~ "..., unspecified") while the
            # right and left codes word it differently ("Visual discomfort, right eye"): they are the
            # same family, so they are named too.
            if match and not any(_sides(titled[s]) - {"bilateral"} for s in match):
                match = sorted(set(match) | {s for s in cand if _sides(titled[s]) - {"bilateral"}})
            if match:
                key = group(u)[1]
                if key not in compact:
                    how[kind] += 1
                compact.setdefault(key, set()).update(group(s)[1] for s in match)
    return sorted((k, sorted(v)) for k, v in compact.items()), how

def _sibling_tail(key, sibling):
    """A sibling written as what differs from the key's end (S83509_ S83501_ -> 1)."""
    k, s = key.rstrip("_"), sibling.rstrip("_")
    if len(k) != len(s) or key.endswith("_") != sibling.endswith("_"):
        raise SystemExit(f"{key}: sibling {sibling} is not of the same shape")
    p = 0
    while p < len(k) - 1 and k[p] == s[p]:
        p += 1
    return s[p:]

def _sibling_full(key, tail):
    k = key.rstrip("_")
    return k[:len(k) - len(tail)] + tail + ("_" if key.endswith("_") else "")

def read_unspecified(path):
    out = {}
    for l in open(path):
        if l.startswith("#") or not l.strip():
            continue
        key, *tails = l.split()
        out[key] = [_sibling_full(key, t) for t in tails]
    return out

def write_unspecified(path, unspec, how, valid_for, source):
    with open(path, "w") as out:
        out.write("# ICD-10-CM billable codes of unspecified side whose right/left/bilateral siblings exist\n")
        out.write(f"# valid_for: {valid_for}\n")
        out.write(f"# codes: {len(unspec)} (lines below; {how['words']} matched by words, {how['position']} by position)\n")
        for l in source:
            out.write(l + "\n")
        out.write("#   Siblings under one parent (7th-character codes: the stems' siblings, same 7th character) where some\n")
        out.write("#   titles name right, left or bilateral: a sibling whose title names no side and says 'unspecified' is\n")
        out.write("#   listed with the sided siblings its title matches, as a set of words without the side words, or by\n")
        out.write("#   position (the words before 'unspecified', or after it, are those around the sibling's side word).\n")
        out.write("# format: CODE SIBLING... ; a trailing _ on CODE stands for any 7th character (S83509_ = S83509A, S83509D, ...);\n")
        out.write("#   each SIBLING is written as the characters that differ at CODE's end (M79609 1 2 4 5 = M79601 M79602\n")
        out.write("#   M79604 M79605; S83509_ 1 2 = S83501_ S83502_, with the same 7th character)\n")
        for x, s in unspec:
            out.write(x + " " + " ".join(_sibling_tail(x, y) for y in s) + "\n")

# The scope of the I/OCE extracts (../shared/data/ncci/README.md, "Filter"): core therapy codes and
# the catalog's codes of the therapy kinds; for PTP also pairs of two catalog or E/M codes.
THERAPY_KINDS = {"therapy", "sometimes", "acupuncture", "athletic", "chiro"}
CORE_RANGES = [("97000", "97999"), ("92506", "92526"), ("92597", "92597"), ("92605", "92633"), ("95992", "95992"),
               ("29200", "29280"), ("29520", "29584"), ("20560", "20561"), ("64550", "64550"), ("G0281", "G0283"),
               ("G0329", "G0329"), ("G0515", "G0515"), ("98975", "98986")]
# The I/OCE extracts hold rows in force on any day from this one; older hospital rows come from the
# 2024-07-01 table (northstar) and are kept as they are.
IOCE_WINDOW_FROM = "2024-07-01"

def _expand(code):
    """A catalog code or range (98940..98942, S0000..S9999, 0100T..0110T) as its codes."""
    if ".." not in code:
        return [code]
    lo, hi = code.split("..")
    a = re.fullmatch(r"(\D*)(\d+)(\D*)", lo)
    b = re.fullmatch(r"(\D*)(\d+)(\D*)", hi)
    if not a or not b or (a.group(1), a.group(3), len(a.group(2))) != (b.group(1), b.group(3), len(b.group(2))):
        raise SystemExit(f"codes.csv: {code!r} is not a range of codes of one shape")
    w = len(a.group(2))
    return [f"{a.group(1)}{n:0{w}d}{a.group(3)}" for n in range(int(a.group(2)), int(b.group(2)) + 1)]

def catalog(data_dir):
    """data/codes.csv: code -> kind (ranges expanded)."""
    out = {}
    rows = [l for l in open(os.path.join(data_dir, "codes.csv")) if not l.startswith("#")]
    head = rows[0].rstrip("\n").split(",")
    for l in rows[1:]:
        f = l.rstrip("\n").split(",")
        if len(f) > head.index("kind"):
            for c in _expand(f[0]):
                out[c] = f[head.index("kind")]
    return out

def _in_ranges(c):
    return any(len(c) == len(lo) and lo <= c <= hi and c[0].isdigit() == lo[0].isdigit() for lo, hi in CORE_RANGES)

def core_code(c, cat):
    return _in_ranges(c) or cat.get(c) in THERAPY_KINDS

def ptp_in_scope(r, cat):
    def rel(c):
        return c in cat or (c.isdigit() and "99201" <= c <= "99299")
    return core_code(r.col1, cat) or core_code(r.col2, cat) or (rel(r.col1) and rel(r.col2))

def aoc_in_scope(r, cat):
    return core_code(r.addon, cat) or core_code(r.primary, cat) or r.addon in cat

def in_window(r):
    return r.last is None or r.last >= IOCE_WINDOW_FROM
