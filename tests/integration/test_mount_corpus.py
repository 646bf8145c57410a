"""Mount every corpus file libpff can open and check the tree against libpff (pypff)."""
import email
import email.policy
import hashlib
import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

import icalendar
import vobject

import pff_oracle
from support import (OSTFS, OTHER_FOLDERS, REPORTS, SAMPLE_OST, corpus_files, mounted, require_corpus, run)

UNSAFE = re.compile(r'[/\\:*?"<>|]')


def expected_extension(message_class):
    """.vcf for contacts and lists, .ics for calendar items, tasks and journal, .txt for notes."""
    parts = message_class.lower().split(".")

    def is_a(base):
        base_parts = base.lower().split(".")
        return parts[:len(base_parts)] == base_parts

    if is_a("IPM.Contact") or is_a("IPM.DistList"):
        return ".vcf"
    if is_a("IPM.Appointment") or is_a("IPM.Task") or is_a("IPM.Activity"):
        return ".ics"
    if is_a("IPM.StickyNote"):
        return ".txt"
    return ".eml"


def expected_name(display_name):
    """The mount's folder name for a plain display name (no control characters)."""
    name = " ".join(UNSAFE.sub("-", display_name).split())
    if name.startswith("."):
        name = "_" + name
    return name or "(unnamed folder)"


def strip_collision_suffix(name):
    return re.sub(r" \(\d+\)$", "", name)


def part_hashes(message):
    """sha256 of every leaf MIME part's decoded payload, embedded messages included."""
    hashes = set()
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if payload is not None:
            hashes.add(hashlib.sha256(payload).hexdigest())
    return hashes


def openable_by_libpff(path):
    try:
        pff_oracle.open_file(path)
        return True
    except OSError:
        return False


class MountMatchesLibpff(unittest.TestCase):
    """The same folders, the same number of items per folder, every attachment's bytes."""

    def check_folder(self, directory, folder, skip_nid, where, virtual_dirs=(), reports_last=False):
        entries = os.listdir(directory)  # readdir order: folders, then messages, as in the file
        if reports_last:
            # tar and rsync reach the reports after every item (the manifest then sizes nothing).
            self.assertEqual(entries[-1:], [REPORTS], f"{where}: {REPORTS} listed last")
            entries = entries[:-1]
        dirs = [e for e in entries if (directory / e).is_dir()]
        self.assertEqual(dirs[:len(virtual_dirs)], list(virtual_dirs), f"{where}: virtual folders first")
        entries = entries[len(virtual_dirs):] if virtual_dirs else entries
        dirs = dirs[len(virtual_dirs):]
        files = [e for e in entries if (directory / e).is_file()]
        self.assertEqual(len(dirs) + len(files), len(entries), f"{where}: odd entries {entries}")
        subfolders = [f for f in folder["folders"] if f["nid"] != skip_nid]
        self.assertEqual(len(dirs), len(subfolders), f"{where}: folders {dirs} vs {[f['name'] for f in subfolders]}")
        for name, sub in zip(dirs, subfolders):
            if not any(ord(c) < 32 for c in sub["name"]):
                self.assertEqual(strip_collision_suffix(name), expected_name(sub["name"]), where)
            self.check_folder(directory / name, sub, skip_nid, f"{where}/{name}")
        self.assertEqual(len(files), len(folder["messages"]), f"{where}: message count")
        for name, message in zip(files, folder["messages"]):
            extension = expected_extension(message["class"])
            self.assertTrue(name.endswith(extension), f"{where}/{name}: {message['class']} should be {extension}")
            path = directory / name
            data = path.read_bytes()
            self.assertEqual(path.stat().st_size, len(data), f"{where}/{name}: st_size differs from bytes read")
            self.assertEqual(path.stat().st_blocks, (len(data) + 511) // 512, f"{where}/{name}: st_blocks")
            if extension == ".ics":
                calendar = icalendar.Calendar.from_ical(data)
                self.assertTrue(calendar.walk("VEVENT") or calendar.walk("VTODO") or calendar.walk("VJOURNAL"),
                                f"{where}/{name}: no component")
                continue
            if extension == ".vcf":
                card = vobject.readOne(data.decode("utf-8"))
                self.assertEqual(card.name, "VCARD", f"{where}/{name}")
                continue
            if extension == ".txt":
                data.decode("utf-8")
                continue
            parsed = email.message_from_bytes(data, policy=email.policy.default)
            for part in parsed.walk():
                self.assertEqual(part.defects, [], f"{where}/{name}: MIME structure defects")
            if message["attachments"]:
                found = part_hashes(parsed)
                for h in message["attachments"]:
                    self.assertIn(h, found, f"{where}/{name}: attachment bytes missing")

    def check_standard_tools(self, mnt):
        """tar reads everything; an rsync copy equals the mount."""
        tar = subprocess.run(f"tar -cf - -C '{mnt}' . | wc -c", shell=True, capture_output=True, text=True)
        self.assertEqual(tar.returncode, 0, tar.stderr)
        self.assertEqual(tar.stderr, "")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "copy"
            rsync = run(["rsync", "-a", f"{mnt}/", f"{copy}/"])
            self.assertEqual(rsync.returncode, 0, rsync.stderr)
            diff = run(["diff", "-r", mnt, copy])
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)

    def check_reports(self, mnt, total_items):
        """The manifest lists every item once and each folder's count in the file equals the count shown."""
        manifest = (mnt / REPORTS / "manifest.tsv").read_text()
        rows = [line.split("\t") for line in manifest.splitlines() if not line.startswith("#")]
        items = [r for r in rows if r[0] == "item"]
        folders = [r for r in rows if r[0] == "folder"]
        self.assertEqual(len(items), total_items)
        self.assertEqual(len({r[1] for r in items}), total_items, "node ids repeat")
        for r in items:
            path = mnt / r[2].lstrip("/")
            self.assertEqual(int(r[4]), path.stat().st_size, r[2])
        for r in folders:
            self.assertEqual(r[5], r[6], f"folder {r[2]}: items in file vs shown")
        errors = (mnt / REPORTS / "errors.log").read_text().splitlines()
        self.assertEqual(errors, ["# path\tnode_id\treason"])

    def check_file(self, source):
        pff = pff_oracle.open_file(source)
        root = pff.get_root_folder()
        ipm = pff_oracle.ipm_subtree_nid(pff)
        ipm_folder = pff_oracle.find_folder(root, ipm) if ipm else None
        if ipm_folder is None:
            # OST message stores name no IPM subtree: Exchange's folder is Root - Mailbox/IPM_SUBTREE.
            for top in root.sub_folders:
                if top.name == "Root - Mailbox":
                    for child in top.sub_folders:
                        if child.name == "IPM_SUBTREE":
                            ipm_folder = child
        with mounted(source) as mnt:
            self.check_standard_tools(mnt)
            if ipm_folder is not None:
                self.check_folder(mnt, pff_oracle.describe(ipm_folder), None, "/", (OTHER_FOLDERS,), reports_last=True)
                self.check_folder(mnt / OTHER_FOLDERS, pff_oracle.describe(root), ipm_folder.identifier,
                                  "/" + OTHER_FOLDERS)
            else:
                self.check_folder(mnt, pff_oracle.describe(root), None, "/", reports_last=True)
            self.check_reports(mnt, _count_messages(root))

    def test_bundled_sample(self):
        self.check_file(SAMPLE_OST)

    def test_every_corpus_file(self):
        require_corpus(self)
        checked = 0
        for source in corpus_files():
            if not openable_by_libpff(source):
                continue
            with self.subTest(file=source.name):
                self.check_file(source)
                checked += 1
        self.assertGreaterEqual(checked, 25)


class StandardToolsWork(unittest.TestCase):
    def test_tar_and_rsync_copy_equals_mount(self):
        with mounted(SAMPLE_OST) as mnt, tempfile.TemporaryDirectory() as tmp:
            tar = subprocess.run(f"tar -cf - -C '{mnt}' . | wc -c", shell=True, capture_output=True, text=True)
            self.assertEqual(tar.returncode, 0, tar.stderr)
            self.assertGreater(int(tar.stdout.strip()), 100_000)
            copy = Path(tmp) / "copy"
            rsync = run(["rsync", "-a", f"{mnt}/", f"{copy}/"])
            self.assertEqual(rsync.returncode, 0, rsync.stderr)
            diff = run(["diff", "-r", mnt, copy])
            self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)
            for dirpath, _, filenames in os.walk(mnt):
                for name in filenames:
                    src = Path(dirpath) / name
                    dst = copy / src.relative_to(mnt)
                    self.assertEqual(int(src.stat().st_mtime), int(dst.stat().st_mtime), str(src))

    def test_find_and_du_see_every_file(self):
        with mounted(SAMPLE_OST) as mnt:
            found = run(["find", mnt, "-type", "f", "-not", "-path", f"{mnt}/{REPORTS}/*"])
            self.assertEqual(found.returncode, 0, found.stderr)
            count = len(found.stdout.splitlines())
            pff = pff_oracle.open_file(SAMPLE_OST)
            total = _count_messages(pff.get_root_folder())
            self.assertEqual(count, total)
            du = run(["du", "-sb", mnt])
            self.assertEqual(du.returncode, 0, du.stderr)


def _count_messages(folder):
    return folder.number_of_sub_messages + sum(_count_messages(f) for f in folder.sub_folders)


if __name__ == "__main__":
    unittest.main()
