"""Names from the file can never escape the mount or make odd entries: path separators, dot
names, control, zero-width and bidi characters, over-long names, names that collide once safe."""
import email
import icalendar
import email.policy
import os
import subprocess
import tempfile
import unicodedata
import unittest
from pathlib import Path

from support import OSTFS, OTHER_FOLDERS, REPO, REPORTS, mounted, run

MAKE_HOSTILE = Path(os.environ.get("OSTFS_MAKE_HOSTILE", REPO / "build" / "tests" / "tools" / "make_hostile_pst"))
HOSTILE_COUNT = 16  # names in tests/tools/make_hostile_pst.cc


def bad_characters(name):
    return [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") or c == "/"]


class HostileNames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ostfs-hostile-"))
        cls.pst = cls.tmp / "hostile.pst"
        result = run([MAKE_HOSTILE, cls.pst])
        if result.returncode != 0:
            raise AssertionError(result.stderr)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["rm", "-rf", str(cls.tmp)])

    def check_names(self, mnt):
        top = [d for d in os.listdir(mnt) if d not in (REPORTS, OTHER_FOLDERS, "Contacts", "Calendar")]
        self.assertEqual(len(top), HOSTILE_COUNT + 1, top)  # + the skeleton's Deleted Items
        self.assertEqual(len(set(top)), len(top))
        seen = 0
        for dirpath, dirnames, filenames in os.walk(mnt):
            for name in dirnames + filenames:
                where = os.path.join(dirpath, name)
                self.assertNotIn(name, (".", ".."), where)
                self.assertFalse(name.startswith(".") and name != REPORTS, where)
                self.assertEqual(bad_characters(name), [], where)
                self.assertLessEqual(len(name.encode("utf-8")), 255, where)
                self.assertEqual(name, name.strip(), where)
                self.assertTrue(os.path.realpath(where).startswith(str(mnt) + "/"), where)
                seen += 1
        for folder in top:
            if folder == "Deleted Items":
                continue
            files = os.listdir(mnt / folder)
            self.assertEqual(len(files), HOSTILE_COUNT, folder)
            for name in files:
                message = email.message_from_bytes((mnt / folder / name).read_bytes(), policy=email.policy.default)
                for part in message.walk():
                    self.assertEqual(part.defects, [], name)
                attachments = list(message.iter_attachments())
                self.assertEqual(len(attachments), 1, name)
                self.assertTrue(attachments[0].get_content().startswith(b"data"), name)
        self.assertGreater(seen, HOSTILE_COUNT * HOSTILE_COUNT)

    def test_mount_shows_safe_distinct_names(self):
        with mounted(self.pst) as mnt:
            self.check_names(mnt)
            self.assertIn("_..", os.listdir(mnt))
            self.assertIn("_.", os.listdir(mnt))
            self.assertIn("_..-..-..-..-etc-passwd", os.listdir(mnt))
            self.assertIn("a-b-c", os.listdir(mnt))
            self.assertIn("a-b-c (2)", os.listdir(mnt))

    def test_a_remark_of_a_renderer_is_in_the_card_and_logged(self):
        with mounted(self.pst) as mnt:
            cards = os.listdir(mnt / "Contacts")
            self.assertEqual(len(cards), 1, cards)
            self.assertTrue(cards[0].endswith(".vcf"), cards)
            card = (mnt / "Contacts" / cards[0]).read_text()
            self.assertIn("X-OSTFS-WARNING:the contact has no name", card)
            log = (mnt / REPORTS / "errors.log").read_text()
            self.assertIn(f"/Contacts/{cards[0]}\t", log)
            self.assertIn("converted with a remark: the contact has no name", log)

    def test_an_item_its_format_cannot_carry_is_shown_as_mail(self):
        with mounted(self.pst) as mnt:
            files = os.listdir(mnt / "Calendar")
            self.assertEqual(files, ["Broken series.eml"])
            raw = (mnt / "Calendar" / files[0]).read_bytes()
            self.assertEqual(len(raw), (mnt / "Calendar" / files[0]).stat().st_size)
            message = email.message_from_bytes(raw, policy=email.policy.default)
            for part in message.walk():
                self.assertEqual(part.defects, [])
            self.assertEqual(message["Subject"], "Broken series")
            warnings = message.get_all("X-OSTFS-Warning")
            self.assertIn("could not be converted fully to iCalendar", " ".join(warnings))
            self.assertTrue(any(w.startswith("recurrence not read") for w in warnings), warnings)
            attachments = list(message.iter_attachments())
            self.assertEqual([a.get_filename() for a in attachments], ["item.ics"])
            self.assertEqual(attachments[0].get_content_type(), "text/calendar")
            calendar = icalendar.Calendar.from_ical(attachments[0].get_payload(decode=True))
            events = [c for c in calendar.walk("VEVENT")]
            self.assertEqual(len(events), 1)
            self.assertEqual(str(events[0]["SUMMARY"]), "Broken series")
            log = (mnt / REPORTS / "errors.log").read_text()
            self.assertIn("/Calendar/Broken series.eml\t", log)
            self.assertIn("shown as .eml: not fully converted to .ics", log)
            self.assertIn("not fully converted: recurrence not read", log)

    def test_export_keeps_them_safe(self):
        out = self.tmp / "exported.pst"
        result = run([OSTFS, "export", "--force", self.pst, out])
        self.assertEqual(result.returncode, 0, result.stderr)
        with mounted(out) as mnt:
            self.check_names(mnt)


if __name__ == "__main__":
    unittest.main()
