"""-o recover / --recover: deleted and orphaned items libpff can recover, in their own folder."""
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


class Recovery(unittest.TestCase):
    def test_not_shown_unless_asked(self):
        with mounted(SAMPLE_OST) as mnt:
            self.assertNotIn(RECOVERED, os.listdir(mnt))

    def test_mount_shows_recovered_items(self):
        with mounted(SAMPLE_OST, "-o", "recover") as mnt:
            entries = os.listdir(mnt)
            self.assertEqual(entries[:3], [REPORTS, RECOVERED, "Other folders (ostfs)"])
            recovered = mnt / RECOVERED
            names = sorted(os.listdir(recovered))
            # SampleOstFile.ost holds deleted copies of these mails in its unallocated space.
            self.assertEqual(len(names), 12, names)
            self.assertIn("2011-04-28 11.39 first email to saqib.eml", names)
            self.assertEqual(sum(1 for n in names if "newsletter copy" in n), 3)
            for name in names:
                data = (recovered / name).read_bytes()
                self.assertEqual(len(data), (recovered / name).stat().st_size, name)
                if name.endswith(".eml"):
                    message = email.message_from_bytes(data, policy=email.policy.default)
                    for part in message.walk():
                        self.assertEqual(part.defects, [], name)
                elif name.endswith(".ics"):
                    icalendar.Calendar.from_ical(data)
            manifest = (mnt / REPORTS / "manifest.tsv").read_text().splitlines()
            row = next(r.split("\t") for r in manifest if r.startswith(f"folder\t0\t/{RECOVERED}\t"))
            self.assertEqual(row[5:], ["12", "12"])

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
                self.assertEqual(len(os.listdir(recovered)), 9)
                self.assertTrue(any("first email to saqib" in n for n in os.listdir(recovered)))


if __name__ == "__main__":
    unittest.main()
