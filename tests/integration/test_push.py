"""Push mode (fs/kernel_pages.h): the files a reader goes on to are put into the kernel's page
cache before it reads them, and everything reads exactly as with -o nopush, where every read
is a request to the daemon: the same names, sizes and bytes, large files read in pieces,
reports that change as items are read, and a daemon that ends on SIGTERM in the middle of a
full read."""
import email
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import pff_oracle
from support import OSTFS, REPO, SAMPLE_OST, is_mounted, mounted, run, unmount, walk_files

GENERATE = Path(os.environ.get("OSTFS_GENERATE", REPO / "build" / "bench" / "ostfs-generate"))


def resident_pages(path):
    """Pages of `path` in the kernel's page cache (fincore: mmap and mincore, reads nothing)."""
    out = run(["fincore", "--raw", "--noheadings", "--bytes", "--output", "PAGES", path])
    if out.returncode != 0:
        raise AssertionError(f"fincore {path}: {out.stderr}")
    return int(out.stdout.split()[0])


def read_in_pieces(path, piece):
    out = bytearray()
    fd = os.open(path, os.O_RDONLY)
    try:
        while chunk := os.read(fd, piece):
            out += chunk
    finally:
        os.close(fd)
    return bytes(out)


class NextFilesAreInTheKernelCache(unittest.TestCase):
    def folder_in_directory_order(self, mnt):
        folder = mnt / "Inbox" / "sub2"
        names = os.listdir(folder)  # the directory's own order, which the read-ahead follows
        self.assertGreater(len(names), 12)
        return folder, names

    def test_after_the_first_file_the_next_ones_are_there_before_they_are_read(self):
        with mounted(SAMPLE_OST) as mnt:
            folder, names = self.folder_in_directory_order(mnt)
            self.assertEqual(resident_pages(folder / names[1]), 0)
            (folder / names[0]).read_bytes()
            following = [folder / n for n in names[1:9]]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not all(resident_pages(p) > 0 for p in following):
                time.sleep(0.05)
            for path in following:
                # The whole file, and what is there is what a read gives.
                size = path.stat().st_size
                self.assertEqual(resident_pages(path), (size + 4095) // 4096, path.name)
                self.assertEqual(len(path.read_bytes()), size, path.name)

    def test_without_push_only_what_was_read_is_there(self):
        with mounted(SAMPLE_OST, "-o", "nopush") as mnt:
            folder, names = self.folder_in_directory_order(mnt)
            (folder / names[0]).read_bytes()
            time.sleep(1)  # the read-ahead renders the next files, but keeps them to itself
            self.assertGreater(resident_pages(folder / names[0]), 0)
            for name in names[1:9]:
                self.assertEqual(resident_pages(folder / name), 0, name)


class SameAsWithoutPush(unittest.TestCase):
    def test_same_names_sizes_and_bytes(self):
        with mounted(SAMPLE_OST) as mnt:
            pushed = walk_files(mnt)
            pushed_sizes = {p: (mnt / p).stat().st_size for p, _ in pushed}
        with mounted(SAMPLE_OST, "-o", "nopush") as mnt:
            served = walk_files(mnt)
        self.assertGreater(len(pushed), 80)
        self.assertEqual(pushed, served)
        for path, data in pushed:
            self.assertEqual(len(data), pushed_sizes[path], path)

    def test_tar_of_the_whole_tree_is_the_same(self):
        # tar goes through each directory in its own order, as the read-ahead expects.
        streams = []
        for options in ([], ["-o", "nopush"]):
            with mounted(SAMPLE_OST, *options) as mnt:
                result = subprocess.run(["tar", "--sort=none", "--mtime=@0", "--owner=0", "--group=0",
                                         "-cf", "-", "-C", str(mnt), "."], capture_output=True, timeout=300)
                self.assertEqual(result.returncode, 0, result.stderr)
                streams.append(result.stdout)
        self.assertGreater(len(streams[0]), 500_000)
        self.assertEqual(streams[0], streams[1])


class LargeFiles(unittest.TestCase):
    """Files over the render cache's limit (8 MiB) are not pushed; read without an open handle,
    they are held from their first read to their last."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ostfs-push-large-"))
        cls.source = cls.tmp / "large.pst"
        result = run([GENERATE, "--messages", "3", "--folders", "1", "--attachment-every", "1",
                      "--attachment-size", "16000000", "--template", SAMPLE_OST, cls.source])
        if result.returncode != 0:
            raise AssertionError(result.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def large_files(self, mnt):
        files = sorted(p for p in mnt.rglob("*.eml") if p.stat().st_size > 8 << 20)
        self.assertEqual(len(files), 3, [(p, p.stat().st_size) for p in mnt.rglob("*.eml")])
        return files

    def test_attachments_are_the_bytes_libpff_reads(self):
        # Such files are read from a plan (fs/file_content.h), each READ encoding its own
        # range of the attachment: every byte is checked against libpff, with and without push.
        pff = pff_oracle.open_file(self.source)
        try:
            expected = []
            for folder in pff.root_folder.sub_folders:
                for sub in [folder, *folder.sub_folders]:
                    for i in range(sub.number_of_sub_messages):
                        expected += pff_oracle.attachment_hashes(sub.get_sub_message(i))
        finally:
            pff.close()
        self.assertEqual(len(expected), 3)
        for options in ([], ["-o", "nopush"]):
            with mounted(self.source, *options) as mnt:
                got = []
                for path in self.large_files(mnt):
                    message = email.message_from_bytes(read_in_pieces(path, 100000))
                    for part in message.walk():
                        if part.get_content_disposition() == "attachment":
                            got.append(hashlib.sha256(part.get_payload(decode=True)).hexdigest())
                self.assertEqual(sorted(got), sorted(expected), options)

    def test_read_in_small_pieces_and_interleaved(self):
        with mounted(self.source, "-o", "nopush") as mnt:
            expected = {p.relative_to(mnt): p.read_bytes() for p in self.large_files(mnt)}
        with mounted(self.source) as mnt:
            files = self.large_files(mnt)
            # Two files read at once, a piece of each in turn, then the third in odd pieces.
            fds = [os.open(p, os.O_RDONLY) for p in files[:2]]
            got = [bytearray(), bytearray()]
            try:
                while True:
                    pieces = [os.read(fd, 65536) for fd in fds]
                    if not any(pieces):
                        break
                    for buffer, piece in zip(got, pieces):
                        buffer += piece
            finally:
                for fd in fds:
                    os.close(fd)
            for path, data in zip(files[:2], got):
                self.assertEqual(bytes(data), expected[path.relative_to(mnt)], path.name)
            self.assertEqual(read_in_pieces(files[2], 12345), expected[files[2].relative_to(mnt)])
            # Read again after its end let it go: rendered again, the same bytes.
            self.assertEqual(files[0].read_bytes(), expected[files[0].relative_to(mnt)])


class Reports(unittest.TestCase):
    def test_reports_read_through_the_page_cache_are_whole(self):
        with mounted(SAMPLE_OST) as mnt:
            reports = mnt / ".ostfs"
            first = (reports / "errors.log").read_text()
            manifest = (reports / "manifest.tsv").read_text()
            self.assertEqual(len(manifest.encode()), (reports / "manifest.tsv").stat().st_size)
            self.assertIn("item\t", manifest)
            self.assertEqual(first.splitlines()[0], "# path\tnode_id\treason")
            self.assertEqual((reports / "errors.log").read_text(), first)


class Shutdown(unittest.TestCase):
    """SIGTERM in the middle of a full read. A read-ahead thread may then be storing the very
    file the reader has asked for, and the kernel makes the store wait for that READ, which
    no FUSE thread will serve once the loop has ended: the daemon serves it itself and ends,
    and the reader gets an error, not a hang. Small messages keep the reader right behind the
    read-ahead, where stores are under way when the signal comes (one SIGTERM in thirty here
    found one; none found it blocked)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ostfs-push-sigterm-"))
        cls.source = cls.tmp / "small.pst"
        result = run([GENERATE, "--small", "--messages", "20000", "--folders", "1", "--template", SAMPLE_OST,
                      cls.source])
        if result.returncode != 0:
            raise AssertionError(result.stderr)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_sigterm_during_a_full_read(self):
        for delay in (0.3, 0.45, 0.6, 0.75, 0.9, 1.05, 1.2, 1.35, 1.5, 1.65):
            mnt = self.tmp / "mnt"
            mnt.mkdir(exist_ok=True)
            daemon = subprocess.Popen([str(OSTFS), "mount", "-f", "-o", "nosizecache", str(self.source), str(mnt)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            reader = None
            try:
                for _ in range(200):
                    if is_mounted(mnt):
                        break
                    time.sleep(0.05)
                self.assertTrue(is_mounted(mnt))
                # Through a pipe: GNU tar writing to /dev/null reads no file contents.
                reader = subprocess.Popen(f"tar -cf - -C '{mnt}' . | cat > /dev/null", shell=True,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                daemon.send_signal(signal.SIGTERM)
                self.assertEqual(daemon.wait(timeout=30), 0, f"after {delay} s")
                reader.wait(timeout=30)
                self.assertFalse(is_mounted(mnt))
            finally:
                for proc in (daemon, reader):
                    if proc and proc.poll() is None:
                        proc.kill()
                unmount(mnt)


if __name__ == "__main__":
    unittest.main()
