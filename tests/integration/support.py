"""Shared helpers for the integration tests: where things are, and real FUSE mounts."""
import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OSTFS = Path(os.environ.get("OSTFS_BIN", REPO / "build" / "ostfs"))
CORPUS = Path(os.environ.get("OSTFS_CORPUS", REPO.parent / "shared" / "corpus"))
SAMPLE_OST = REPO / "tests" / "data" / "SampleOstFile.ost"
CORRUPT_HEADER = CORPUS / "aspose-email__Aspose.Email-for-.NET__AddingBulkMessagesWithImprovedPerformance.pst"
OTHER_FOLDERS = "Other folders (ostfs)"
REPORTS = ".ostfs"


def corpus_files():
    """Every PST/OST in the shared corpus, sorted; empty when ../shared is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".pst", ".ost"))


def require_corpus(test):
    if not CORPUS.is_dir():
        raise unittest.SkipTest(f"corpus not found at {CORPUS}")


def run(args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)


def is_mounted(path):
    target = os.path.realpath(path)
    with open("/proc/self/mounts") as mounts:
        return any(line.split()[1] == target for line in mounts)


def unmount(path):
    for _ in range(50):
        if not is_mounted(path):
            return
        subprocess.run(["fusermount3", "-u", str(path)], capture_output=True)
        if is_mounted(path):
            time.sleep(0.1)
    subprocess.run(["fusermount3", "-uz", str(path)], capture_output=True)


@contextlib.contextmanager
def mounted(source, *options):
    """Mounts `source` with `ostfs mount` in a private directory; always unmounts."""
    workdir = Path(tempfile.mkdtemp(prefix="ostfs-test-"))
    mountpoint = workdir / "mnt"
    mountpoint.mkdir()
    try:
        result = run([OSTFS, "mount", *options, source, mountpoint])
        if result.returncode != 0:
            raise AssertionError(f"ostfs mount {source} failed ({result.returncode}): {result.stderr}")
        yield mountpoint
    finally:
        unmount(mountpoint)
        shutil.rmtree(workdir, ignore_errors=True)


def walk_files(root):
    """(relative path, bytes) of every file under root, in a deterministic order."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            out.append((str(path.relative_to(root)), path.read_bytes()))
    return out
