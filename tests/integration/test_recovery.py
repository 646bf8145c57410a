"""-o recover / --recover: deleted and orphaned items libpff can recover, in their own folder."""
import contextlib
import email
import email.policy
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import icalendar

from support import OSTFS, REPORTS, SAMPLE_OST, mounted, run

RECOVERED = "Recovered Items (ostfs)"
# The libpff worker built with test hooks (parser/pff_worker_main.cc): it crashes on a chosen node.
TESTING_WORKER = Path(OSTFS).parent / "ostfs-pff-worker-testing"


@contextlib.contextmanager
def environment(**values):
    """Sets variables for the daemons started inside (they inherit them); restores them after."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def recovered_rows(mnt):
    """(node id, path) of each recovered item in the mount's manifest."""
    rows = [r.split("\t") for r in (mnt / REPORTS / "manifest.tsv").read_text().splitlines()]
    return [(r[1], r[2]) for r in rows if r[0] == "item" and r[2].startswith(f"/{RECOVERED}/")]


def error_rows(mnt):
    return [r.split("\t") for r in (mnt / REPORTS / "errors.log").read_text().splitlines()
            if r and not r.startswith("#")]


class Recovery(unittest.TestCase):
    def test_not_shown_unless_asked(self):
        with mounted(SAMPLE_OST) as mnt:
            self.assertNotIn(RECOVERED, os.listdir(mnt))

    def test_mount_shows_recovered_items(self):
        with mounted(SAMPLE_OST, "-o", "recover") as mnt:
            entries = os.listdir(mnt)
            self.assertEqual(entries[:2], [RECOVERED, "Other folders (ostfs)"])
            self.assertEqual(entries[-1], REPORTS)
            recovered = mnt / RECOVERED
            files = sorted(str(p.relative_to(recovered)) for p in recovered.rglob("*") if p.is_file())
            # SampleOstFile.ost holds deleted copies of these mails in its unallocated space, and
            # orphans whose node still names their folder: those are in a sub-folder named after it.
            self.assertEqual(len(files), 12, files)
            self.assertIn("2011-04-28 11.39 first email to saqib.eml", files)
            self.assertEqual(sum(1 for n in files if "newsletter copy" in n), 3)
            self.assertEqual(sorted(p.name for p in recovered.iterdir() if p.is_dir()), ["Calendar", "Inbox"])
            self.assertEqual(sorted(os.listdir(recovered / "Inbox")),
                             ["2011-07-08 07.38 IPM.Configuration.Autocomplete (2).eml",
                              "2011-07-08 07.38 IPM.Configuration.Autocomplete.eml",
                              "2011-09-20 10.27 newsletter copy.eml"])
            self.assertEqual(len(os.listdir(recovered / "Calendar")), 1)
            for name in files:
                data = (recovered / name).read_bytes()
                self.assertEqual(len(data), (recovered / name).stat().st_size, name)
                if name.endswith(".eml"):
                    message = email.message_from_bytes(data, policy=email.policy.default)
                    for part in message.walk():
                        self.assertEqual(part.defects, [], name)
                elif name.endswith(".ics"):
                    icalendar.Calendar.from_ical(data)
            manifest = [r.split("\t") for r in (mnt / REPORTS / "manifest.tsv").read_text().splitlines()]
            folders = {r[2]: r[5:] for r in manifest if r[0] == "folder" and r[2].startswith(f"/{RECOVERED}")}
            self.assertEqual(folders, {f"/{RECOVERED}": ["8", "8"], f"/{RECOVERED}/Inbox": ["3", "3"],
                                       f"/{RECOVERED}/Calendar": ["1", "1"]})

    def test_relative_source_path(self):
        # The daemon runs in "/", and libpff's worker starts after that: it must get the full path.
        saved = os.getcwd()
        os.chdir(Path(SAMPLE_OST).parent)
        try:
            with mounted(Path(SAMPLE_OST).name, "-o", "recover") as mnt:
                files = [p for p in (mnt / RECOVERED).rglob("*") if p.is_file()]
                self.assertEqual(len(files), 12)
                self.assertEqual([r for r in error_rows(mnt) if "no such file" in r[2]], [])
        finally:
            os.chdir(saved)

    def test_export_writes_recovered_items(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.pst"
            result = run([OSTFS, "export", "--recover", SAMPLE_OST, out])
            self.assertIn(result.returncode, (0, 5), result.stderr)
            self.assertIn("items:       104 written of 104 read", result.stdout)
            with mounted(out) as mnt:
                recovered = mnt / RECOVERED
                self.assertTrue(recovered.is_dir())
                # IPM.Configuration items are associated (hidden) items in the new PST.
                self.assertEqual(len([p for p in recovered.iterdir() if p.is_file()]), 7)
                self.assertEqual(os.listdir(recovered / "Inbox"), ["2011-09-20 10.27 newsletter copy.eml"])
                self.assertEqual(len(os.listdir(recovered / "Calendar")), 1)
                self.assertTrue(any("first email to saqib" in n for n in os.listdir(recovered)))


@unittest.skipUnless(TESTING_WORKER.exists(), "needs ostfs-pff-worker-testing next to ostfs")
class LibpffCrash(unittest.TestCase):
    """libpff runs in a worker process: when it crashes on one item, that item is listed as
    unreadable in errors.log and the rest of the mount goes on."""

    def setUp(self):
        with environment(OSTFS_PFF_WORKER=str(TESTING_WORKER)), mounted(SAMPLE_OST, "-o", "recover") as mnt:
            os.listdir(mnt / RECOVERED)
            self.rows = recovered_rows(mnt)
        self.assertEqual(len(self.rows), 12)

    def test_crash_reading_one_item(self):
        # The unreadable item is listed and fails when read: at its open, or (push mode, where
        # nothing is opened) at the stat that comes first, whichever finds it broken first.
        victim_nid, victim_path = self.rows[0]
        for options in ("recover", "recover,nopush"):
            with environment(OSTFS_PFF_WORKER=str(TESTING_WORKER), OSTFS_TEST_WORKER_CRASH_READ_NID=victim_nid), \
                    mounted(SAMPLE_OST, "-o", options) as mnt:
                files = [Path(d) / f for d, _, names in os.walk(mnt / RECOVERED) for f in names]
                self.assertEqual(len(files), 12)
                for path in files:
                    name = str(path.relative_to(mnt))
                    if f"/{name}" == victim_path:
                        with self.assertRaises(OSError):
                            path.read_bytes()
                    else:
                        self.assertEqual(len(path.read_bytes()), path.stat().st_size, name)
                errors = error_rows(mnt)
                self.assertIn(victim_path, [e[0] for e in errors if e[1] == victim_nid])
                self.assertTrue(any("libpff crashed (SIGSEGV)" in e[2] for e in errors if e[1] == victim_nid), errors)
                # The daemon survived: the rest of the tree is still served.
                self.assertIn("Other folders (ostfs)", os.listdir(mnt))

    def test_errors_log_read_before_a_crash_shows_it_after(self):
        # The kernel keeps what it read of errors.log (push mode: no OPEN to bypass its cache);
        # the log's new size must make it read the log again.
        victim_nid, victim_path = self.rows[0]
        for options in ("recover", "recover,nopush"):
            with environment(OSTFS_PFF_WORKER=str(TESTING_WORKER), OSTFS_TEST_WORKER_CRASH_READ_NID=victim_nid), \
                    mounted(SAMPLE_OST, "-o", options) as mnt:
                before = error_rows(mnt)  # before anything touches the recovered items
                self.assertNotIn(victim_nid, [e[1] for e in before], options)
                with self.assertRaises(OSError):
                    (mnt / victim_path.lstrip("/")).read_bytes()
                after = error_rows(mnt)
                self.assertEqual(after[:len(before)], before, options)
                self.assertTrue(any(e[1] == victim_nid and "libpff crashed" in e[2] for e in after), (options, after))

    def test_crash_listing_one_item(self):
        victim_nid = self.rows[0][0]
        with environment(OSTFS_PFF_WORKER=str(TESTING_WORKER), OSTFS_TEST_WORKER_CRASH_NID=victim_nid), \
                mounted(SAMPLE_OST, "-o", "recover") as mnt:
            shown = recovered_rows(mnt) if os.listdir(mnt / RECOVERED) else []
            lost = [r for r in self.rows if r[0] == victim_nid]
            self.assertEqual(sorted(n for n, _ in shown), sorted(n for n, _ in self.rows if n != victim_nid))
            crashes = [e for e in error_rows(mnt)
                       if e[0] == f"/{RECOVERED}" and e[2].startswith("recovered item ")
                       and e[2].endswith(": libpff crashed (SIGSEGV)")]
            self.assertEqual(len(crashes), len(lost), error_rows(mnt))
            # The manifest's counts show the loss: in the file 12, shown 12 minus the lost ones.
            manifest = [r.split("\t") for r in (mnt / REPORTS / "manifest.tsv").read_text().splitlines()]
            counts = [r[5:] for r in manifest if r[0] == "folder" and r[2].startswith(f"/{RECOVERED}")]
            self.assertEqual(sum(int(c[0]) for c in counts), 12)
            self.assertEqual(sum(int(c[1]) for c in counts), 12 - len(lost))

    def test_export_goes_on(self):
        victim_nid = self.rows[0][0]
        with tempfile.TemporaryDirectory() as tmp, \
                environment(OSTFS_PFF_WORKER=str(TESTING_WORKER), OSTFS_TEST_WORKER_CRASH_READ_NID=victim_nid):
            out = Path(tmp) / "out.pst"
            result = run([OSTFS, "export", "--verbose", "--recover", SAMPLE_OST, out])
            self.assertEqual(result.returncode, 5, result.stderr)
            self.assertTrue(out.exists())
            victims = sum(1 for nid, _ in self.rows if nid == victim_nid)
            self.assertIn(f"items:       {104 - victims} written of {104 - victims} read, {victims} skipped",
                          result.stdout)
            crashes = [line for line in (result.stdout + result.stderr).splitlines()
                       if f"[node {victim_nid}]" in line and "libpff crashed (SIGSEGV)" in line]
            self.assertEqual(len(crashes), victims, result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
