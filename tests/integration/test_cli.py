"""The command line: help, version, info, the mount's life cycle, and every bad input."""
import hashlib
import os
import signal
import stat
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from support import (CORRUPT_HEADER, OSTFS, SAMPLE_OST, is_mounted, mounted, require_corpus, run, unmount,
                     walk_files)

BAD_SOURCE = 2
BAD_MOUNTPOINT = 3
USAGE = 1


class HelpAndVersion(unittest.TestCase):
    def test_help_lists_subcommands(self):
        result = run([OSTFS, "--help"])
        self.assertEqual(result.returncode, 0)
        for word in ("mount", "info"):
            self.assertIn(word, result.stdout)

    def test_subcommand_help(self):
        for command in ("mount", "info"):
            result = run([OSTFS, command, "--help"])
            self.assertEqual(result.returncode, 0, command)
            self.assertIn(f"ostfs {command}", result.stdout)

    def test_version(self):
        result = run([OSTFS, "--version"])
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^ostfs \d+\.\d+\.\d+\n$")

    def test_unknown_command_is_a_usage_error(self):
        result = run([OSTFS, "frobnicate"])
        self.assertEqual(result.returncode, USAGE)
        self.assertIn("frobnicate", result.stderr)


class Info(unittest.TestCase):
    def test_describes_the_sample_ost(self):
        result = run([OSTFS, "info", SAMPLE_OST])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Format:      OST, Unicode (64-bit), 512 B pages (wVer 23)", result.stdout)
        self.assertIn("Encryption:  compressible (permute)", result.stdout)
        self.assertIn("Password:    not set", result.stdout)
        self.assertRegex(result.stdout, r"\n {8}Inbox: 12 items\n {10}sub1: 25 items\n {10}sub2: 29 items\n")
        self.assertIn("IPM_SUBTREE  [IPM subtree: the mount root]: 0 items", result.stdout)
        self.assertIn("Total:       45 folders, 92 items", result.stdout)

    def test_check_reads_every_item_and_lists_the_unreadable_ones(self):
        result = run([OSTFS, "info", "--check", SAMPLE_OST])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Checked:     92 items read completely or in part", result.stdout)
        self.assertEqual(result.stderr, "")
        with tempfile.TemporaryDirectory() as tmp:
            damaged = Path(tmp) / "damaged.ost"
            data = bytearray(Path(SAMPLE_OST).read_bytes())
            data[1500000:1500000 + 8192] = bytes(8192)  # recipients tables of two messages in Inbox/sub2
            damaged.write_bytes(bytes(data))
            plain = run([OSTFS, "info", damaged])
            self.assertIn("Total:       45 folders, 92 items", plain.stdout)
            result = run([OSTFS, "info", "--check", damaged])
            self.assertEqual(result.returncode, 5, result.stderr)  # incomplete
            lines = result.stderr.splitlines()
            self.assertTrue(lines)
            for line in lines:
                self.assertRegex(line, r"^ostfs: .*damaged\.ost: /.*/Inbox/sub2: item \d+ \"message \d+\": partly read: recipients: ")
            self.assertIn("Checked:     92 items", result.stdout)

    def test_recognises_ost_2013_with_4k_pages(self):
        require_corpus(self)
        from support import CORPUS
        result = run([OSTFS, "info", CORPUS / "pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("OST, Unicode (64-bit), 4 KiB pages (wVer 36)", result.stdout)

    def test_recognises_ansi_pst_and_password(self):
        require_corpus(self)
        from support import CORPUS
        result = run([OSTFS, "info", CORPUS / "simiden__pst2john__97_outlook_pass12345.pst"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("PST, ANSI (32-bit)", result.stdout)
        self.assertIn("Password:    set", result.stdout)
        result = run([OSTFS, "info", CORPUS / "emk__pstsdk__test_unicode.pst"])
        self.assertIn("Password:    set", result.stdout)
        result = run([OSTFS, "info", CORPUS / "apache__tika__testPST.pst"])
        self.assertIn("Password:    not set", result.stdout)
        result = run([OSTFS, "info", CORPUS / "simiden__pst2john__2003_high-encryption_quickquick.pst"])
        self.assertIn("Encryption:  high (cyclic)", result.stdout)


class BadInput(unittest.TestCase):
    """Each bad input: one line on stderr naming the file and the problem, non-zero, nothing mounted."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-bad-"))
        self.mnt = self.tmp / "mnt"
        self.mnt.mkdir()

    def tearDown(self):
        unmount(self.mnt)
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def assert_refused(self, args, code, subject, words, runner=run):
        result = runner(args)
        self.assertEqual(result.returncode, code, result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(str(subject), lines[0])
        self.assertIn(words, lines[0])
        self.assertFalse(is_mounted(self.mnt))
        return lines[0]

    def test_missing_file(self):
        missing = self.tmp / "nope.ost"
        self.assert_refused([OSTFS, "mount", missing, self.mnt], BAD_SOURCE, missing, "no such file")
        self.assert_refused([OSTFS, "info", missing], BAD_SOURCE, missing, "no such file")

    def test_directory(self):
        self.assert_refused([OSTFS, "mount", self.tmp, self.mnt], BAD_SOURCE, self.tmp, "is a directory")

    def test_unreadable_file(self):
        secret = self.tmp / "secret.pst"
        secret.write_bytes(SAMPLE_OST.read_bytes()[:65536])
        secret.chmod(0o600)
        os.chmod(self.tmp, 0o755)
        as_nobody = lambda args: run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args])
        self.assert_refused([OSTFS, "info", secret], BAD_SOURCE, secret, "Permission denied", runner=as_nobody)

    def test_not_a_pst(self):
        text = self.tmp / "notes.ost"
        text.write_bytes(b"Dear diary,\n" * 100)
        self.assert_refused([OSTFS, "mount", text, self.mnt], BAD_SOURCE, text, "not a PST or OST file")
        empty = self.tmp / "empty.pst"
        empty.write_bytes(b"")
        self.assert_refused([OSTFS, "mount", empty, self.mnt], BAD_SOURCE, empty, "too small")

    def test_corrupt_header(self):
        require_corpus(self)
        self.assert_refused([OSTFS, "mount", CORRUPT_HEADER, self.mnt], BAD_SOURCE, CORRUPT_HEADER,
                            "corrupt file header")

    def test_truncated_file(self):
        short = self.tmp / "short.ost"
        short.write_bytes(SAMPLE_OST.read_bytes()[:600])
        line = self.assert_refused([OSTFS, "mount", short, self.mnt], BAD_SOURCE, short, "")
        self.assertNotIn("libpff_", line.split(": ", 2)[1])

    def test_missing_mountpoint(self):
        missing = self.tmp / "no-such-dir"
        self.assert_refused([OSTFS, "mount", SAMPLE_OST, missing], BAD_MOUNTPOINT, missing, "does not exist")

    def test_mountpoint_is_a_file(self):
        file = self.tmp / "file"
        file.write_text("x")
        self.assert_refused([OSTFS, "mount", SAMPLE_OST, file], BAD_MOUNTPOINT, file, "not a directory")

    def test_non_empty_mountpoint(self):
        (self.mnt / "keep.txt").write_text("mine")
        self.assert_refused([OSTFS, "mount", SAMPLE_OST, self.mnt], BAD_MOUNTPOINT, self.mnt, "not empty")
        self.assertEqual((self.mnt / "keep.txt").read_text(), "mine")

    def test_mountpoint_already_in_use(self):
        first = run([OSTFS, "mount", SAMPLE_OST, self.mnt])
        self.assertEqual(first.returncode, 0, first.stderr)
        try:
            result = run([OSTFS, "mount", SAMPLE_OST, self.mnt])
            self.assertEqual(result.returncode, BAD_MOUNTPOINT, result.stderr)
            self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
            self.assertIn("already in use", result.stderr)
            self.assertIn("Inbox", os.listdir(self.mnt))  # the first mount is untouched
        finally:
            unmount(self.mnt)

    def test_bad_usage(self):
        self.assertEqual(run([OSTFS, "mount", SAMPLE_OST]).returncode, USAGE)
        self.assertEqual(run([OSTFS, "mount", "--bogus", SAMPLE_OST, self.mnt]).returncode, USAGE)
        self.assertEqual(run([OSTFS, "mount", "-o", "rw", SAMPLE_OST, self.mnt]).returncode, USAGE)
        self.assertEqual(run([OSTFS, "mount", "-o", "uid=abc", SAMPLE_OST, self.mnt]).returncode, USAGE)
        self.assertFalse(is_mounted(self.mnt))


class MountLifeCycle(unittest.TestCase):
    def test_ready_when_command_returns_and_read_only(self):
        with mounted(SAMPLE_OST) as mnt:
            names = os.listdir(mnt)  # right after the command returned
            self.assertIn("Inbox", names)
            self.assertIn("Other folders (ostfs)", names)
            with self.assertRaises(OSError):
                (mnt / "new.txt").write_text("x")
            inbox = mnt / "Inbox"
            some = next(p for p in inbox.iterdir() if p.is_file())
            with self.assertRaises(OSError):
                with open(some, "a") as f:
                    f.write("x")
            self.assertEqual(stat.S_IMODE(some.stat().st_mode), 0o444)
            self.assertEqual(stat.S_IMODE(inbox.stat().st_mode), 0o555)

    def test_uid_gid_umask_options(self):
        with mounted(SAMPLE_OST, "-o", "uid=1234,gid=5678,umask=077") as mnt:
            inbox = mnt / "Inbox"
            st = inbox.stat()
            self.assertEqual((st.st_uid, st.st_gid), (1234, 5678))
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o500)

    def test_sigterm_unmounts_cleanly(self):
        tmp = Path(tempfile.mkdtemp(prefix="ostfs-sig-"))
        mnt = tmp / "mnt"
        mnt.mkdir()
        proc = subprocess.Popen([str(OSTFS), "mount", "-f", str(SAMPLE_OST), str(mnt)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                if is_mounted(mnt):
                    break
                time.sleep(0.05)
            self.assertTrue(is_mounted(mnt))
            self.assertIn("Inbox", os.listdir(mnt))
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=20), 0)
            self.assertFalse(is_mounted(mnt))
        finally:
            if proc.poll() is None:
                proc.kill()
            unmount(mnt)
            subprocess.run(["rm", "-rf", str(tmp)])

    def test_fusermount_unmount_ends_the_daemon(self):
        with mounted(SAMPLE_OST) as mnt:
            self.assertTrue(is_mounted(mnt))
            self.assertEqual(subprocess.run(["fusermount3", "-u", str(mnt)]).returncode, 0)
            self.assertFalse(is_mounted(mnt))
            self.assertEqual(os.listdir(mnt), [])


class SizeIndex(unittest.TestCase):
    """The sizes a mount worked out are kept in the cache directory for the next mount of the
    same file; the index of a file that is gone is removed when a later mount saves its own."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="ostfs-size-index-"))
        self.saved_cache = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(self.tmp / "cache")
        self.indexes = self.tmp / "cache" / "ostfs"

    def tearDown(self):
        if self.saved_cache is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = self.saved_cache
        subprocess.run(["rm", "-rf", str(self.tmp)])

    def index_files_once(self, done, timeout=20):
        """The index files, once `done(files)` holds (the daemon saves after unmounting)."""
        deadline = time.monotonic() + timeout
        while True:
            files = sorted(p.name for p in self.indexes.glob("*.sizes")) if self.indexes.is_dir() else []
            if done(files) or time.monotonic() > deadline:
                return files
            time.sleep(0.1)

    def mount_and_size_everything(self, source):
        with mounted(source) as mnt:
            run(["ls", "-lR", mnt])

    def test_index_of_a_deleted_file_is_pruned(self):
        first = self.tmp / "first.ost"
        second = self.tmp / "second.ost"
        first.write_bytes(SAMPLE_OST.read_bytes())
        self.mount_and_size_everything(first)
        files = self.index_files_once(lambda f: len(f) == 1)
        self.assertEqual(len(files), 1, files)
        first_index = files[0]
        first.unlink()
        second.write_bytes(SAMPLE_OST.read_bytes())
        self.mount_and_size_everything(second)
        # Saved for the second file; the first one's is gone with its file.
        files = self.index_files_once(lambda f: len(f) == 1 and f[0] != first_index)
        self.assertEqual(len(files), 1, files)
        self.assertNotEqual(files[0], first_index)
        with mounted(second) as mnt:  # the remaining index is the second file's: it loads
            self.assertGreater(len(walk_files(mnt)), 80)


class Determinism(unittest.TestCase):
    def test_two_mounts_give_same_names_sizes_and_bytes(self):
        with mounted(SAMPLE_OST) as first:
            a = walk_files(first)
            again = walk_files(first)  # reading twice gives the same bytes
            inodes_a = {p: (first / p).stat().st_ino for p, _ in a}
        with mounted(SAMPLE_OST) as second:
            b = walk_files(second)
            inodes_b = {p: (second / p).stat().st_ino for p, _ in b}
        self.assertGreater(len(a), 80)
        self.assertEqual([p for p, _ in a], [p for p, _ in b])
        self.assertEqual(a, again)
        for (path, data_a), (_, data_b) in zip(a, b):
            self.assertEqual(hashlib.sha256(data_a).digest(), hashlib.sha256(data_b).digest(), path)
        self.assertEqual(inodes_a, inodes_b)

    def test_a_file_opened_again_reads_the_same_after_the_kernel_dropped_it(self):
        # A second open renders only when a read comes: here the kernel's copy is dropped
        # first, so every read of the second pass needs the daemon again.
        with mounted(SAMPLE_OST) as mnt:
            first = walk_files(mnt)
            for path, _ in first:
                with open(mnt / path, "rb") as f:
                    os.posix_fadvise(f.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
            second = walk_files(mnt)
        self.assertGreater(len(first), 80)
        self.assertEqual(first, second)

    def test_source_file_is_not_modified(self):
        before = hashlib.sha256(SAMPLE_OST.read_bytes()).hexdigest()
        with mounted(SAMPLE_OST) as mnt:
            walk_files(mnt)
        self.assertEqual(hashlib.sha256(SAMPLE_OST.read_bytes()).hexdigest(), before)


if __name__ == "__main__":
    unittest.main()


class Install(unittest.TestCase):
    def test_cmake_install_puts_binary_and_man_page(self):
        build = OSTFS.parent
        with tempfile.TemporaryDirectory() as prefix:
            result = run(["cmake", "--install", build, "--prefix", prefix])
            self.assertEqual(result.returncode, 0, result.stderr)
            installed = Path(prefix) / "bin" / "ostfs"
            self.assertEqual(run([installed, "--version"]).returncode, 0)
            page = Path(prefix) / "share" / "man" / "man1" / "ostfs.1"
            rendered = run(["man", "-l", page])
            self.assertEqual(rendered.returncode, 0, rendered.stderr)
            for word in ("mount", "export", "info", "recover", "vcard", "EXIT STATUS"):
                self.assertIn(word, rendered.stdout)
