"""Contacts as .vcf: names, phones, company, title match libpff (pypff); e-mail addresses match
libpst (readpst's own vCards), for the corpus files with real contacts."""
import collections
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import vobject

import pff_oracle
from support import CORPUS, OTHER_FOLDERS, REPORTS, mounted, require_corpus, run

FILES = ["aspose-email__Aspose.Email-for-.NET__PersonalStorageFile1.pst", "hughbe__PstReader__hughbe_Outlook.pst",
         "rjohnsondev__java-libpst__dist-list.pst"]
GIVEN, SURNAME, DISPLAY, COMPANY, TITLE = 0x3A06, 0x3A11, 0x3001, 0x3A16, 0x3A17
PHONES = [0x3A08, 0x3A09, 0x3A1C, 0x3A24, 0x3A25, 0x3A21, 0x3A1E, 0x3A1F, 0x3A2E, 0x3A1B, 0x3A2F, 0x3A02, 0x3A57,
          0x3A1A]


def text_of(message, tag):
    for entry in message.get_record_set(0).entries:
        if entry.entry_type == tag and entry.data:
            if entry.value_type == 0x001F:
                return entry.data.decode("utf-16-le").rstrip("\0")
            return entry.data.decode("cp1252").rstrip("\0")
    return None


class ContactsMatchTheReaders(unittest.TestCase):
    def check_file(self, source):
        pff = pff_oracle.open_file(source)
        checked = 0
        ours_emails = collections.Counter()
        with mounted(source) as mnt:
            for dirpath, dirnames, filenames in os.walk(mnt):
                if Path(dirpath) == mnt:
                    dirnames[:] = [d for d in dirnames if d not in (REPORTS, OTHER_FOLDERS)]
                for name in filenames:
                    if name.endswith(".vcf"):
                        card = vobject.readOne((Path(dirpath) / name).read_text())
                        for email in card.contents.get("email", []):
                            ours_emails[email.value.lower()] += 1
            # Field by field against libpff, folder by folder in the mount's order.
            ipm = pff_oracle.ipm_subtree_nid(pff)
            top = pff_oracle.find_folder(pff.get_root_folder(), ipm) if ipm else pff.get_root_folder()
            checked = self.check_folder(mnt, top, (REPORTS, OTHER_FOLDERS))
        # Every address readpst finds in its own vCards is in ours.
        with tempfile.TemporaryDirectory() as tmp:
            result = run(["readpst", "-j", "0", "-e", "-cv", "-o", tmp, source])
            self.assertEqual(result.returncode, 0, result.stderr)
            theirs = collections.Counter()
            for dirpath, _, filenames in os.walk(tmp):
                for name in filenames:
                    if name.endswith(".vcf"):
                        for line in (Path(dirpath) / name).read_text(errors="replace").splitlines():
                            if line.upper().startswith("EMAIL") and ":" in line:
                                value = line.split(":", 1)[1].strip().lower()
                                if value and value != "(null)":
                                    theirs[value] += 1
        missing = theirs - ours_emails
        self.assertEqual(missing, collections.Counter(), "addresses readpst has and our cards lack")
        return checked

    def check_folder(self, directory, folder, virtual=()):
        entries = [e for e in os.listdir(directory) if e not in virtual]
        dirs = [e for e in entries if (directory / e).is_dir()]
        files = [e for e in entries if (directory / e).is_file()]
        checked = 0
        for name, message in zip(files, folder.sub_messages):
            if pff_oracle.message_class(message).lower().startswith("ipm.contact"):
                self.assertTrue(name.endswith(".vcf"), name)
                self.check_contact(vobject.readOne((directory / name).read_text()), message, name)
                checked += 1
        for name, sub in zip(dirs, folder.sub_folders):
            checked += self.check_folder(directory / name, sub)
        return checked

    def check_contact(self, card, message, name):
        given, surname, display = text_of(message, GIVEN), text_of(message, SURNAME), text_of(message, DISPLAY)
        if given:
            self.assertEqual(card.n.value.given, given, name)
        if surname:
            self.assertEqual(card.n.value.family, surname, name)
        if display:
            self.assertEqual(card.fn.value, display, name)
        tels = {t.value for t in card.contents.get("tel", [])}
        for tag in PHONES:
            number = text_of(message, tag)
            if number:
                self.assertIn(number, tels, f"{name}: phone {hex(tag)}")
        company = text_of(message, COMPANY)
        if company:
            self.assertEqual(card.org.value[0], company, name)
        title = text_of(message, TITLE)
        if title:
            self.assertEqual(card.title.value, title, name)

    def test_corpus_contacts(self):
        require_corpus(self)
        total = 0
        for file in FILES:
            with self.subTest(file=file):
                total += self.check_file(CORPUS / file)
        self.assertGreaterEqual(total, 72)


if __name__ == "__main__":
    unittest.main()
