"""The sheets of an Excel .xlsx workbook as rows of text, Python standard library only (zipfile and
xml.etree): xl/workbook.xml names the sheets, xl/_rels/workbook.xml.rels where each is,
xl/sharedStrings.xml holds the text cells (t="s" is an index into it), xl/styles.xml says which
number cells are formatted as dates. A cell's text is as the sheet holds it; a number formatted as
a date is returned as YYYY-MM-DD (Excel's day count from 1899-12-30)."""
import datetime, re, zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# Excel's built-in date formats (ids 14-22, 45-47) and custom formats with day/month/year letters.
BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}


class XlsxError(Exception):
    pass


def _text(el):
    """A string item: plain <t>, or rich text runs <r><t>."""
    return "".join(t.text or "" for t in el.iter(f"{{{NS['m']}}}t"))


def _col(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def _date_styles(z):
    if "xl/styles.xml" not in z.namelist():
        return set()
    root = ET.fromstring(z.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iterfind("m:numFmts/m:numFmt", NS)}
    out = set()
    for i, xf in enumerate(root.iterfind("m:cellXfs/m:xf", NS)):
        fid = int(xf.get("numFmtId", "0"))
        code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", custom.get(fid, "")).lower()
        if fid in BUILTIN_DATES or (fid in custom and re.search(r"[dy]", code)):
            out.add(i)
    return out


def sheets(path):
    """[(sheet name, [[cell text, ...], ...])] in workbook order; missing cells are ""."""
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise XlsxError("not an .xlsx file (not a zip)")
    with z:
        names = z.namelist()
        if "xl/workbook.xml" not in names:
            raise XlsxError("not an .xlsx file (no xl/workbook.xml)")
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = [_text(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iterfind("m:si", NS)]
        dates = _date_styles(z)
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).iterfind("p:Relationship", NS)}
        out = []
        for s in ET.fromstring(z.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", NS):
            target = rels.get(s.get(f"{{{NS['r']}}}id"), "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if target not in names:
                raise XlsxError(f"sheet {s.get('name')!r}: {target} is missing")
            rows = []
            for row in ET.fromstring(z.read(target)).iterfind("m:sheetData/m:row", NS):
                cells = {}
                for i, c in enumerate(row.iterfind("m:c", NS)):
                    ref, t, v = c.get("r"), c.get("t", "n"), c.find("m:v", NS)
                    col = _col(ref) if ref else (max(cells) + 1 if cells else 0)
                    if t == "s":
                        val = shared[int(v.text)] if v is not None else ""
                    elif t == "inlineStr":
                        is_ = c.find("m:is", NS)
                        val = _text(is_) if is_ is not None else ""
                    else:
                        val = v.text if v is not None and v.text is not None else ""
                        if t == "n" and val and int(c.get("s", "0")) in dates:
                            val = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(val)))).isoformat()
                        elif t == "n" and re.fullmatch(r"-?\d+\.0+", val):
                            val = val.split(".")[0]
                    cells[col] = val
                if cells:
                    r = [""] * (max(cells) + 1)
                    for k, val in cells.items():
                        r[k] = val
                    rows.append(r)
            out.append((s.get("name"), rows))
        return out
