"""`ostfs export`: every corpus file becomes a PST that libpff, libpst and pst-extractor read, and
that ostfs mounts to the same tree, byte for byte, as the source."""
import hashlib
import json
import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

import pff_oracle
from support import (CORPUS, OSTFS, OTHER_FOLDERS, REPO, REPORTS, SAMPLE_OST, corpus_files, mounted,
                     require_corpus, run)

INCOMPLETE = 5
OUTPUT_FAILED = 6
BAD_SOURCE = 2
EXTRACTOR_DIR = REPO / "tests" / "unit" / "export" / "js"


def count_messages(folder):
    return folder.number_of_sub_messages + sum(count_messages(f) for f in folder.sub_folders)


def readpst_skipped(pst, workdir):
    """How many items readpst (libpst) reads from `pst` and how many it skips, from its report."""
    out = Path(tempfile.mkdtemp(dir=workdir))
    # -j 0: readpst's parallel children share the file offset and skip items at random.
    result = run(["readpst", "-j", "0", "-D", "-e", "-o", out, pst])
    if result.returncode != 0:
        raise AssertionError(f"readpst failed on {pst}: {result.stderr}")
    done = skipped = 0
    for match in re.finditer(r"- (\d+) items done, (\d+) items skipped", result.stdout):
        done += int(match.group(1))
        skipped += int(match.group(2))
    return done, skipped


def extractor_walk(pst):
    result = run(["node", EXTRACTOR_DIR / "walk.js", pst])
    if result.returncode != 0:
        raise AssertionError(f"pst-extractor failed on {pst}: {result.stderr}")
    return json.loads(result.stdout.splitlines()[0])


def tree_listing(mnt):
    """(path, sha256) of every file and directory under the mount, except ostfs's own reports and
    the folders outside the IPM subtree (an export drops those by design)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(mnt):
        if Path(dirpath) == mnt:
            dirnames[:] = [d for d in dirnames if d not in (REPORTS, OTHER_FOLDERS)]
        dirnames.sort()
        rel = Path(dirpath).relative_to(mnt)
        out.append((str(rel) + "/", ""))
        for name in sorted(filenames):
            out.append((str(rel / name), hashlib.sha256((Path(dirpath) / name).read_bytes()).hexdigest()))
    return out


def export(source, out, *options):
    return run([OSTFS, "export", *options, source, out])


class ExportCorpus(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-export-"))

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def check_export(self, source):
        out = self.tmp / (source.stem + ".pst")
        before = hashlib.sha256(source.read_bytes()).hexdigest()
        result = export(source, out)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertTrue(out.is_file())
        self.assertEqual(hashlib.sha256(source.read_bytes()).hexdigest(), before, "source modified")
        self.assertEqual([p.name for p in self.tmp.iterdir() if p.name.startswith(".")], [], "temporary left")

        # libpff reads every item of the exported file.
        source_pff = pff_oracle.open_file(source)
        exported_pff = pff_oracle.open_file(out)
        self.assertEqual(count_messages(exported_pff.get_root_folder()),
                         _count_mount_items(source), "items in the export vs in the source's mount")
        info = run(["pffinfo", out])
        self.assertEqual(info.returncode, 0, info.stderr)

        # libpst reads the export and skips no more than it skips in the source.
        done, skipped = readpst_skipped(out, self.tmp)
        self.assertGreater(done, 0)
        self.assertLessEqual(skipped, readpst_skipped(source, self.tmp)[1])

        # pst-extractor (hierarchy and contents tables, as Outlook reads them) sees every item.
        walked = extractor_walk(out)
        self.assertEqual(_count_walked(walked["root"]), count_messages(exported_pff.get_root_folder()))

        # Mounted, the export shows the same tree with the same bytes as the source.
        with mounted(source) as a, mounted(out) as b:
            self.assertEqual(tree_listing(b), tree_listing(a))

        # Exporting the export gives the same content again.
        again = self.tmp / (source.stem + "-again.pst")
        self.assertEqual(export(out, again).returncode, 0)
        with mounted(out) as a, mounted(again) as b:
            self.assertEqual(tree_listing(b), tree_listing(a))
        del source_pff

    def test_bundled_sample(self):
        self.check_export(SAMPLE_OST)

    def test_every_corpus_file(self):
        require_corpus(self)
        checked = 0
        for source in corpus_files():
            try:
                pff_oracle.open_file(source)
            except OSError:
                continue
            with self.subTest(file=source.name):
                self.check_export(source)
                checked += 1
        self.assertGreaterEqual(checked, 25)


def _count_walked(folder):
    return len(folder["messages"]) + sum(_count_walked(f) for f in folder["folders"])


def _count_mount_items(source):
    """Items the source's mount shows under its root, outside "Other folders (ostfs)"."""
    with mounted(source) as mnt:
        total = 0
        for dirpath, dirnames, filenames in os.walk(mnt):
            if Path(dirpath) == mnt:
                dirnames[:] = [d for d in dirnames if d not in (REPORTS, OTHER_FOLDERS)]
            total += len(filenames)
        return total


PR_SENTMAIL_ENTRYID = 0x0E0A
PR_IPM_SENTMAIL_ENTRYID = 0x35E4


def entry_values(item, entry_type):
    """The values of one property in every record set of a pypff item."""
    out = []
    for i in range(item.number_of_record_sets):
        for entry in item.get_record_set(i).entries:
            if entry.entry_type == entry_type and entry.data is not None:
                out.append(bytes(entry.data))
    return out


def sent_mail_ids(folder, path=""):
    """(folder path, subject, PidTagSentMailEntryId) of every message that has one, in the tree."""
    out = []
    for i in range(folder.number_of_sub_messages):
        message = folder.get_sub_message(i)
        for value in entry_values(message, PR_SENTMAIL_ENTRYID):
            out.append((path, message.subject, value))
    for i in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(i)
        out.extend(sent_mail_ids(sub, path + "/" + (sub.name or "")))
    return out


class ExportSentMailEntryIds(unittest.TestCase):
    """PidTagSentMailEntryId names the source store's Sent Items; in the export it must name the
    new store's Sent Items (never the old store, where Outlook would find nothing)."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-export-sent-"))

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def check(self, source, in_source, kept):
        """`in_source` messages of `source` have the property; `kept` of them name the source's
        own Sent Items, so they keep it, naming the new one; the others lose it."""
        out = self.tmp / (source.stem + ".pst")
        result = export(source, out)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        source_ids = sent_mail_ids(pff_oracle.open_file(source).get_root_folder())
        self.assertEqual(len(source_ids), in_source, "the source's messages with the property")
        exported = pff_oracle.open_file(out)
        ids = sent_mail_ids(exported.get_root_folder())
        self.assertEqual(len(ids), kept)
        if not kept:
            return
        store_sent = entry_values(exported.get_message_store(), PR_IPM_SENTMAIL_ENTRYID)
        self.assertEqual(len(store_sent), 1, "the exported store names its Sent Items")
        for where, subject, value in ids:
            self.assertEqual(value, store_sent[0], f"{where} {subject!r}")
        # The old ids named the source store; the new one names the exported store.
        self.assertNotIn(store_sent[0], {value for _, _, value in source_ids})

    def test_sent_items_of_the_same_store_are_rewritten(self):
        require_corpus(self)
        self.check(CORPUS / "aranetic__process-pst__flags_john_doe.pst", 5, 5)

    def test_ansi_source(self):
        require_corpus(self)
        self.check(CORPUS / "simiden__pst2john__97_outlook_pass12345.pst", 294, 294)

    def test_sent_items_of_another_store_are_dropped(self):
        # Aspose copied these messages from another PST: their ids carry that store's record key.
        require_corpus(self)
        self.check(CORPUS / "aspose-email__Aspose.Email-for-.NET__Outlook.pst", 6, 0)

    def test_long_term_id_of_a_folder_the_ost_lacks_is_dropped(self):
        # Exchange long-term ids (46 bytes) naming GLOBCNT 0x16, a folder this OST never synced
        # (its Sent Items is 0x0E).
        self.check(SAMPLE_OST, 4, 0)


PR_RECORD_KEY = 0x0FF9


def store_links(folder, record_key, path=""):
    """{(folder path, subject): [node id, ...]} of the entry ids carrying `record_key` (links to
    items of that store) in each message's binary and multi-valued binary properties, and
    {node id: (folder path, subject)} of every message."""
    links, items = {}, {}
    for i in range(folder.number_of_sub_messages):
        message = folder.get_sub_message(i)
        where = (path, message.subject)
        items[message.identifier] = where
        for r in range(message.number_of_record_sets):
            for entry in message.get_record_set(r).entries:
                if entry.value_type not in (0x0102, 0x1102) or not entry.data:
                    continue
                data = bytes(entry.data)
                at = data.find(record_key, 4)
                while at != -1 and at + 20 <= len(data):
                    links.setdefault(where, []).append(int.from_bytes(data[at + 16:at + 20], "little"))
                    at = data.find(record_key, at + 1)
    for i in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(i)
        sub_links, sub_items = store_links(sub, record_key, path + "/" + (sub.name or ""))
        links.update(sub_links)
        items.update(sub_items)
    return links, items


class ExportItemLinks(unittest.TestCase):
    """Distribution-list members and a contact's own entry ids name items of the store by its
    record key and their node ids. In the export they must name the same items in the new store
    (Outlook resolves members through them), never the old store."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-export-links-"))

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def check(self, source, expected_links):
        out = self.tmp / (source.stem + ".pst")
        result = export(source, out)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        original = pff_oracle.open_file(source)
        old_key = entry_values(original.get_message_store(), PR_RECORD_KEY)[0]
        old_links, old_items = store_links(original.get_root_folder(), old_key)
        self.assertEqual(sum(len(v) for v in old_links.values()), expected_links, "links in the source")
        exported = pff_oracle.open_file(out)
        new_key = entry_values(exported.get_message_store(), PR_RECORD_KEY)[0]
        self.assertNotEqual(new_key, old_key)
        stale, _ = store_links(exported.get_root_folder(), old_key)
        self.assertEqual(stale, {}, "no link names the source store any more")
        new_links, new_items = store_links(exported.get_root_folder(), new_key)
        self.assertEqual(set(new_links), set(old_links), "the same messages carry links")
        for where, nids in old_links.items():
            self.assertEqual([new_items.get(n) for n in new_links[where]], [old_items[n] for n in nids],
                             f"{where}: each link names the same item as in the source")

    def test_distribution_list_members_and_contact_ids(self):
        require_corpus(self)
        for name in ("rjohnsondev__java-libpst__dist-list.pst", "rjohnsondev__java-libpst__passworded.pst",
                     "hughbe__PstReader__hughbe_Outlook.pst"):
            with self.subTest(name):
                self.check(CORPUS / name, 2)


class ExportCommandLine(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-export-cli-"))

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def test_help(self):
        result = run([OSTFS, "export", "--help"])
        self.assertEqual(result.returncode, 0)
        self.assertIn("ostfs export", result.stdout)

    def test_report_lists_counts(self):
        out = self.tmp / "out.pst"
        result = export(SAMPLE_OST, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("items:       92 written of 92 read, 0 skipped", result.stdout)
        self.assertIn("attachments: 39 written", result.stdout)

    def test_refuses_to_overwrite_without_force(self):
        out = self.tmp / "out.pst"
        out.write_bytes(b"keep me")
        result = export(SAMPLE_OST, out)
        self.assertEqual(result.returncode, OUTPUT_FAILED)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn(str(out), result.stderr)
        self.assertIn("already exists", result.stderr)
        self.assertEqual(out.read_bytes(), b"keep me")
        forced = export(SAMPLE_OST, out, "--force")
        self.assertEqual(forced.returncode, 0, forced.stderr)
        self.assertEqual(pff_oracle.open_file(out).get_root_folder().number_of_sub_folders, 3)

    def test_bad_source(self):
        missing = self.tmp / "missing.ost"
        result = export(missing, self.tmp / "out.pst")
        self.assertEqual(result.returncode, BAD_SOURCE)
        self.assertEqual(len(result.stderr.splitlines()), 1)
        self.assertIn(str(missing), result.stderr)
        self.assertFalse((self.tmp / "out.pst").exists())

    def test_unwritable_destination(self):
        out = self.tmp / "no-such-dir" / "out.pst"
        result = export(SAMPLE_OST, out)
        self.assertEqual(result.returncode, OUTPUT_FAILED, result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn(str(out), result.stderr)

    def test_destination_is_a_directory(self):
        result = export(SAMPLE_OST, self.tmp, "--force")
        self.assertEqual(result.returncode, OUTPUT_FAILED, result.stderr)
        self.assertIn("is a directory", result.stderr)


class ExportLargeAttachments(unittest.TestCase):
    """Attachments too large to hold are copied a block at a time (fs/attachment_readers.h): the
    copy has every byte libpff reads from the source, and the export's memory stays far below
    the size of one attachment."""

    def test_bytes_and_memory(self):
        generate = Path(os.environ.get("OSTFS_GENERATE", REPO / "build" / "bench" / "ostfs-generate"))
        with tempfile.TemporaryDirectory() as tmp:
            source, out = Path(tmp) / "large.pst", Path(tmp) / "out.pst"
            result = run([generate, "--messages", "3", "--folders", "1", "--attachment-every", "1",
                          "--attachment-size", "80000000", "--template", SAMPLE_OST, source])
            self.assertEqual(result.returncode, 0, result.stderr)
            # In a process of its own, whose only child is the export: its peak RSS is the export's.
            measure = ("import resource, subprocess, sys\n"
                       "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
                       "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                       "print(r.stdout + r.stderr)")
            result = run(["/usr/bin/python3", "-c", measure, OSTFS, "export", source, out])
            status, peak_kb = map(int, result.stdout.split("\n", 1)[0].split())
            self.assertEqual(status, 0, result.stdout)
            self.assertIn("3 written of 3 read, 0 skipped", result.stdout)
            expected, got = all_attachment_hashes(source), all_attachment_hashes(out)
            self.assertGreaterEqual(len(expected), 3)
            self.assertEqual(got, expected)
            # The attachments are of 40-120 MB: held whole, one alone would be more than this.
            # Under AddressSanitizer (scripts/test-sanitized.sh) freed memory waits in its
            # quarantine, so the peak says nothing about the export's own memory there.
            if "ASAN_OPTIONS" not in os.environ:
                self.assertLess(peak_kb, 40 * 1024, "export peak RSS in KB")


def all_attachment_hashes(path):
    f = pff_oracle.open_file(path)
    try:
        out = []
        folders = [f.root_folder]
        while folders:
            folder = folders.pop()
            out += [h for i in range(folder.number_of_sub_messages)
                    for h in pff_oracle.attachment_hashes(folder.get_sub_message(i))]
            folders += list(folder.sub_folders)
        return sorted(out)
    finally:
        f.close()


if __name__ == "__main__":
    unittest.main()
