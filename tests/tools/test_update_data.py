#!/usr/bin/env python3
"""tools/update-data on small fixtures in CMS's own layouts (tests/fixtures/cms/in: file and column
names as CMS and CDC ship them; the zips are built here from the text files, as CMS zips them).
The rebuilt tables must equal tests/fixtures/cms/expected, and a second run must change nothing.
Python 3 standard library only: `python3 tests/tools/test_update_data.py` (make test-tools)."""
import filecmp, os, shutil, subprocess, sys, tempfile, unittest, zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIX = os.path.join(ROOT, "tests", "fixtures", "cms")
TOOL = os.path.join(ROOT, "tools", "update-data")
KX = "2027=2550:secondary:test fixture amount"

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

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def assert_tables(self, expected_dir):
        names = sorted(os.listdir(expected_dir))
        self.assertEqual(sorted(os.listdir(self.data)), names)
        for n in names:
            with open(os.path.join(self.data, n)) as got, open(os.path.join(expected_dir, n)) as want:
                self.assertEqual(got.read(), want.read(), n)

    def test_rebuild_then_nothing_changes(self):
        r = run("--data", self.data, "--kx", KX, *self.files)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ncci-ptp-practitioner.txt: 6 rows; in force on 2026-07-01: 1 pairs added, 0 deleted", r.stdout)
        self.assertIn("+ 97164/97750 indicator 1", r.stdout)
        self.assertIn("- 97597/97602", r.stdout)
        self.assertIn("97110 ~8/8", r.stdout)
        self.assertIn("4 codes added, 1 no longer billable", r.stdout)
        self.assertIn("icd10cm-unspecified.txt: 2 codes of unspecified side added: M7220, S83509_", r.stdout)
        self.assertIn("kx.csv: 2027 added", r.stdout)
        self.assert_tables(os.path.join(FIX, "expected"))
        again = run("--data", self.data, "--kx", KX, *self.files)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("done: nothing changed", again.stdout)
        self.assertNotIn("added", again.stdout.replace("titles added", ""))
        self.assert_tables(os.path.join(FIX, "expected"))

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
        open(bad, "w").write("a,b\n")
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
