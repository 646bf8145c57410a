"""An OST in Outlook 2013+'s layout (wVer 36, 4 KiB pages, zlib-compressed data and internal
blocks), made by the project's own writer: a folder of 40,000 items and attachments over 1 MB.
ostfs mounts it with every item and every attachment byte-exact and exports it to a PST that
mounts to the same tree; Debian's libpff misreads it (compressed XBLOCKs) and readpst reads it."""
import email
import email.policy
import hashlib
import os
import re
import subprocess
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pff_oracle
from support import OSTFS, OTHER_FOLDERS, REPO, REPORTS, SAMPLE_OST, mounted, run

GENERATE = Path(os.environ.get("OSTFS_GENERATE", REPO / "build" / "bench" / "ostfs-generate"))
BIG_FOLDER = "Folder 1"
BIG_FOLDER_ITEMS = 40000
MESSAGES = 40060
# Every 10,000th message gets an attachment of 1.2-3.6 MB (the generator varies sizes 50-150%):
# 19-56 leaf blocks of 65,512 bytes, so each attachment has an XBLOCK, which deflates well.
ATTACHMENT_EVERY = 10000
ATTACHMENT_SIZE = 2400000
ONE_MB = 1 << 20
EML_NUMBER = re.compile(r" Generated (\d+)- ")
MANIFEST_SUBJECT = re.compile(r"^Generated (\d+): ")


def read_manifest(path):
    """({folder: message count}, [(folder, message number, file name, size, sha256)])."""
    folders, attachments = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] == "folder":
            folders[fields[1]] = int(fields[2])
        elif fields[0] == "attachment":
            number = int(MANIFEST_SUBJECT.match(fields[2]).group(1))
            attachments.append((fields[1], number, fields[3], int(fields[4]), fields[5]))
    return folders, attachments


def attachment_hashes(eml_bytes):
    """{file name: sha256} of the attachments of one message, parsed with Python's email."""
    message = email.message_from_bytes(eml_bytes, policy=email.policy.default)
    return {part.get_filename(): hashlib.sha256(part.get_payload(decode=True)).hexdigest()
            for part in message.iter_attachments()}


def tree_listing(mnt):
    """(path, sha256) of every file and directory under the mount, except ostfs's own reports and
    the folders outside the IPM subtree, as test_export.tree_listing lists them; files are read
    by several threads at once, since one reader alone takes most of this test's time."""
    entries, files = [], []
    for dirpath, dirnames, filenames in os.walk(mnt):
        if Path(dirpath) == mnt:
            dirnames[:] = [d for d in dirnames if d not in (REPORTS, OTHER_FOLDERS)]
        dirnames.sort()
        rel = Path(dirpath).relative_to(mnt)
        entries.append((str(rel) + "/", None))
        for name in sorted(filenames):
            entries.append((str(rel / name), Path(dirpath) / name))
            files.append(Path(dirpath) / name)
    with ThreadPoolExecutor(4) as pool:
        hashes = dict(zip(files, pool.map(lambda p: hashlib.sha256(p.read_bytes()).hexdigest(), files)))
    return [(rel, hashes[path] if path else "") for rel, path in entries]


def eml_by_number(folder):
    """{message number from the subject: path} of the .eml files in one mounted folder."""
    out = {}
    for name in os.listdir(folder):
        match = EML_NUMBER.search(name)
        if match:
            out[int(match.group(1))] = folder / name
    return out


class Ost2013(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ostfs-ost2013-"))
        cls.ost = cls.tmp / "generated.ost"
        cls.manifest = cls.tmp / "manifest.tsv"
        result = run([GENERATE, "--ost", "--small", "--messages", MESSAGES, "--folders", "2", "--big-folder",
                      BIG_FOLDER_ITEMS, "--attachment-every", ATTACHMENT_EVERY, "--attachment-size",
                      ATTACHMENT_SIZE, "--template", SAMPLE_OST, "--manifest", cls.manifest, cls.ost])
        if result.returncode != 0:
            raise AssertionError(f"ostfs-generate failed: {result.stderr}")
        cls.folders, cls.attachments = read_manifest(cls.manifest)
        # readpst writes one file per item and takes a while: start it now, read its report in
        # its own test. -j 0: its parallel children share the file offset and skip items.
        cls.readpst_out = cls.tmp / "readpst"
        cls.readpst_out.mkdir()
        cls.readpst = subprocess.Popen(["readpst", "-j", "0", "-D", "-e", "-o", str(cls.readpst_out), str(cls.ost)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @classmethod
    def tearDownClass(cls):
        if cls.readpst.poll() is None:
            cls.readpst.kill()
        cls.readpst.communicate()
        subprocess.run(["rm", "-rf", str(cls.tmp)])

    def test_generated_file_is_what_the_issue_asks_for(self):
        self.assertEqual(self.folders[BIG_FOLDER], BIG_FOLDER_ITEMS)
        self.assertEqual(sum(self.folders.values()), MESSAGES)
        self.assertEqual(len(self.attachments), MESSAGES // ATTACHMENT_EVERY + 1)
        for _, _, _, size, _ in self.attachments:
            self.assertGreater(size, ONE_MB)
        self.assertIn(BIG_FOLDER, {a[0] for a in self.attachments})
        info = run([OSTFS, "info", self.ost])
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertIn("OST, Unicode (64-bit), 4 KiB pages (wVer 36)", info.stdout)
        self.assertIn(f"{BIG_FOLDER}: {BIG_FOLDER_ITEMS} items", info.stdout)

    def check_mount(self, mnt):
        """Every folder shows every item; every attachment's bytes equal what was generated."""
        for folder, count in self.folders.items():
            self.assertEqual(len([n for n in os.listdir(mnt / folder) if n.endswith(".eml")]), count, folder)
        for folder, count in self.folders.items():
            self.assertEqual(len(eml_by_number(mnt / folder)), count, f"{folder}: message numbers")
        for folder, number, name, size, sha in self.attachments:
            eml = eml_by_number(mnt / folder)[number]
            self.assertEqual(attachment_hashes(eml.read_bytes()).get(name), sha, f"{name} in {eml.name}")

    def test_mount_shows_every_item_and_attachment_and_export_mounts_the_same(self):
        out = self.tmp / "exported.pst"
        # The export runs while the source's mount is read.
        export = subprocess.Popen([str(OSTFS), "export", str(self.ost), str(out)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            with mounted(self.ost) as source:
                self.check_mount(source)
                source_listing = tree_listing(source)
        finally:
            stdout, stderr = export.communicate(timeout=600)
        self.assertEqual(export.returncode, 0, stdout + stderr)
        self.assertRegex(stdout, rf"items:\s+{MESSAGES} written of {MESSAGES} read, 0 skipped")
        with mounted(out) as exported:
            self.assertEqual(len(os.listdir(exported / BIG_FOLDER)), BIG_FOLDER_ITEMS)
            self.assertEqual(tree_listing(exported), source_listing)

    def test_debian_libpff_misreads_the_compressed_xblocks(self):
        """The file exercises the defect that makes ostfs read OSTs itself: libpff 20180714 parses
        a compressed XBLOCK with its compressed size, so the big folder's tables and the big
        attachments do not read. A libpff with the upstream fix reads the file: then skip."""
        f = pff_oracle.open_file(self.ost)
        root = f.get_root_folder()
        big = next(s for s in pff_oracle.find_folder(root, pff_oracle.ipm_subtree_nid(f)).sub_folders
                   if s.name == BIG_FOLDER)
        try:
            count = big.number_of_sub_messages
        except OSError as e:
            self.assertIn("array entries", str(e))
            return
        if count == 0:
            return
        first = big.get_sub_message(0)  # message 1: the first attachment (every 10,000th from 1)
        size = first.get_attachment(0).get_size() if first.number_of_attachments else 0
        if count == BIG_FOLDER_ITEMS and size > ONE_MB:
            self.skipTest("this libpff reads compressed XBLOCKs (fixed upstream in 2021)")
        self.assertTrue(count < BIG_FOLDER_ITEMS or size == 0, (count, size))

    def test_readpst_reads_every_item_and_attachment(self):
        stdout, stderr = self.readpst.communicate(timeout=600)
        self.assertEqual(self.readpst.returncode, 0, stderr)
        report = {m.group(1): (int(m.group(2)), int(m.group(3)))
                  for m in re.finditer(r'"([^"]+)" - (\d+) items done, (\d+) items skipped', stdout)}
        for folder, count in self.folders.items():
            self.assertEqual(report.get(folder), (count, 0), folder)
        # readpst names its files 1.eml, 2.eml ...: find the attachments by content instead.
        expected = {(name, sha) for _, _, name, _, sha in self.attachments}
        found = set()
        for path in self.readpst_out.rglob("*.eml"):
            if path.stat().st_size > ONE_MB:
                found.update(attachment_hashes(path.read_bytes()).items())
        self.assertEqual(found, expected)


if __name__ == "__main__":
    unittest.main()
