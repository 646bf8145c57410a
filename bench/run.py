#!/usr/bin/python3
"""Benchmarks ostfs against readpst and pffexport on one file, in one run.

Usage: bench/run.py [--word WORD] [--results bench/RESULTS.md] FILE

Runs, on the same file: cat (the I/O floor), readpst -e (its default, parallel mode, and
serial with -j 0), pffexport, then ostfs: first `ls` of
the root after mount, mount + tar of everything (full read; piped through cat, because GNU tar
writing straight to /dev/null does not read file contents at all), the same with -o nopush,
mount + ls -lR cold (no size index) and warm (a second mount of the file, with the size index
the first one saved), mount + grep -r, and export. The mounts use a cache directory of their
own (XDG_CACHE_HOME), empty at the start, and every row but the warm one mounts with
-o nosizecache. The file is read into the page cache before each row. For each: wall time,
CPU time and peak RSS (for mount-based rows, of the ostfs daemon), how many items the row got
out (files written by the peers, files under the mount for the full read), and ratios to readpst
(both modes) and pffexport. A time is worth comparing only with the item count beside it:
readpst's parallel mode loses a few dozen items of a 20,000-item file, a different few each
run. A peer that fails (readpst's parallel mode crashes on an OST 2013) or gets nothing out
(Debian's pffexport on a compressed OST) is marked FAILED in its row and no ratio is taken to
it. What the tools write (the peers' extractions, the export) goes to memory (/dev/shm, when it
is a tmpfs with room for three times the file; --output-dir to choose): the mount's rows write
nothing, and on this project's machines writing 20,000 files to ext4 made readpst's time vary
from 6.9 to 11.5 s. Prints a Markdown table and appends it, with the date and machine, to the
results file.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OSTFS = Path(os.environ.get("OSTFS_BIN", REPO / "build" / "ostfs"))


def run_timed(command, check=True, **kwargs):
    """Runs a shell command; returns (wall seconds, cpu seconds, exit status) of the command itself."""
    start = time.monotonic()
    before = os.times()
    status = subprocess.run(command, shell=True, check=check, **kwargs).returncode
    wall = time.monotonic() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, status


def remove_output(directory):
    """Removes a peer's output directory. When readpst's parallel mode crashes, its children go
    on writing into it for a moment, and a removal in the meantime finds a directory not empty."""
    for _ in range(50):
        try:
            shutil.rmtree(directory)
            return
        except OSError:
            time.sleep(0.1)
    shutil.rmtree(directory, ignore_errors=True)


def daemon_pid(mountpoint):
    out = subprocess.run(["pgrep", "-f", f"ostfs mount .* {mountpoint}$"], capture_output=True, text=True)
    pids = [int(p) for p in out.stdout.split()]
    if not pids:
        raise RuntimeError(f"no ostfs daemon for {mountpoint}")
    return pids[0]


def daemon_usage(pid):
    """(cpu seconds, peak RSS MB) of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
    return cpu, hwm


COLD = ["-o", "nosizecache"]


def unmount(mnt, pid):
    """Unmounts and waits for the daemon to end (it saves the size index on its way out)."""
    subprocess.run(["fusermount3", "-u", str(mnt)], check=False)
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def warm(source):
    """Reads the source into the page cache again: this machine's kernel pages out files it
    has not touched for a while (DAMON), and a row must not pay for another row's evictions."""
    subprocess.run(f"cat '{source}' > /dev/null", shell=True, check=True)


# pffexport writes an item as a directory named by its kind and number ("Message00001"); its
# attachments are "Attachment00001" directories, and a search folder's name can end in digits.
PFFEXPORT_ITEM = re.compile(r"^(Message|Meeting|Appointment|Contact|Task|Note|Activity|Distribution list)\d{5}$")


def files_under(path, skip=None):
    count = 0
    for _, dirs, files in os.walk(path):
        if skip in dirs:
            dirs.remove(skip)
        count += len(files)
    return count


def pffexport_items(path):
    count = 0
    for _, dirs, _ in os.walk(path):
        count += sum(1 for d in dirs if PFFEXPORT_ITEM.match(d))
        if "Attachments" in dirs:
            dirs.remove("Attachments")  # an embedded message is part of its item
    return count


def mounted_task(source, workdir, command_template, mount_options=COLD, count_items=False):
    """Mounts, runs the command on the mountpoint, and measures wall time plus the daemon's usage
    (and, when asked, how many item files the mount shows, counted after the timing)."""
    warm(source)
    mnt = Path(tempfile.mkdtemp(dir=workdir))
    subprocess.run([str(OSTFS), "mount", *mount_options, str(source), str(mnt)], check=True)
    pid = daemon_pid(mnt)
    try:
        start = time.monotonic()
        subprocess.run(command_template.format(mnt=mnt), shell=True, check=True)
        wall = time.monotonic() - start
        cpu, rss = daemon_usage(pid)
        items = files_under(mnt, skip=".ostfs") if count_items else None
        return wall, cpu, rss, items
    finally:
        unmount(mnt, pid)


def first_ls(source, workdir):
    warm(source)
    mnt = Path(tempfile.mkdtemp(dir=workdir))
    start = time.monotonic()
    subprocess.run([str(OSTFS), "mount", *COLD, str(source), str(mnt)], check=True)
    os.listdir(mnt)
    wall = time.monotonic() - start
    pid = daemon_pid(mnt)
    cpu, rss = daemon_usage(pid)
    unmount(mnt, pid)
    return wall, cpu, rss, None


def peak_rss_of(command, check=True):
    """Runs under /usr/bin/time to learn the peak RSS (MB) of a peer tool (up to its failure, when
    not `check`)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command], capture_output=True, text=True)
    if out.returncode != 0 and check:
        raise RuntimeError(f"{command} failed: {out.stderr}")
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def filesystem_of(path):
    """The type of the filesystem `path` is on (the longest mount point that contains it)."""
    target = str(path.resolve())
    best, kind = "", "?"
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount_point, fs_type = line.split()[:3]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, kind = mount_point, fs_type
    return kind


def default_output_root(source):
    """/dev/shm when it is a tmpfs with room for three times the source, else None (the temporary
    directory)."""
    shm = Path("/dev/shm")
    try:
        room = shutil.disk_usage(shm).free
    except OSError:
        return None
    return shm if filesystem_of(shm) == "tmpfs" and room >= 3 * source.stat().st_size else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--word", default="Generated")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--output-dir", type=Path,
                        help="where the peers and the export write (default: /dev/shm if it is a tmpfs with room)")
    args = parser.parse_args()
    source = args.file.resolve()
    workdir = Path(tempfile.mkdtemp(prefix="ostfs-bench-"))
    output_root = args.output_dir or default_output_root(source)
    outputs = Path(tempfile.mkdtemp(prefix="ostfs-bench-out-", dir=output_root))
    os.environ["XDG_CACHE_HOME"] = str(workdir / "cache")  # the mounts' size index goes here
    rows = []
    try:
        def out_dir():
            return Path(tempfile.mkdtemp(dir=outputs))

        subprocess.run(f"cat '{source}' > /dev/null", shell=True, check=True)  # warm the page cache
        wall, cpu, _ = run_timed(f"cat '{source}' > /dev/null")
        rows.append(("cat FILE > /dev/null (I/O floor)", wall, cpu, None, None, False))

        def peer(label, command, count):
            """Times `command` (DIR: a fresh output directory) and counts what it wrote, then runs
            it again for its peak RSS. A peer that fails (readpst's parallel mode crashes on some
            files) or gets nothing out (Debian's pffexport on a compressed OST) gets a row that says
            so, with what it wrote, and is no one's yardstick."""
            d = out_dir()
            warm(source)
            wall, cpu, status = run_timed(command.replace("{dir}", str(d)), check=False)
            items = count(d)
            remove_output(d)
            d = out_dir()
            rss = peak_rss_of(command.replace("{dir}", str(d)), check=False)
            remove_output(d)
            if status != 0:
                label += f" FAILED: exit status {status}" + (" (killed by a signal)" if status > 128 else "")
            elif items == 0:
                label += " FAILED: got nothing out"
            rows.append((label, wall, cpu, rss, items, status != 0 or items == 0))

        peer("readpst -e -o DIR (default: parallel)", f"readpst -e -q -o '{{dir}}' '{source}' > /dev/null", files_under)
        peer("readpst -j 0 -e -o DIR (serial)", f"readpst -j 0 -e -q -o '{{dir}}' '{source}' > /dev/null",
             files_under)
        peer("pffexport -t DIR", f"pffexport -q -t '{{dir}}/x' '{source}' > /dev/null", pffexport_items)

        rows.append(("ostfs: mount + first ls of root", *first_ls(source, workdir), False))
        rows.append(("ostfs: mount + tar -cf - MOUNT | cat (full read)",
                     *mounted_task(source, workdir, "tar -cf - -C '{mnt}' . | cat > /dev/null", count_items=True), False))
        rows.append(("ostfs: the same with -o nopush (every read a request)",
                     *mounted_task(source, workdir, "tar -cf - -C '{mnt}' . | cat > /dev/null",
                                   mount_options=COLD + ["-o", "nopush"]), False))
        rows.append(("ostfs: mount + ls -lR MOUNT, cold (no size index)",
                     *mounted_task(source, workdir, "ls -lR '{mnt}' > /dev/null"), False))
        # The first mount with the index on works the sizes out and saves them when it ends.
        mounted_task(source, workdir, "ls -lR '{mnt}' > /dev/null", mount_options=[])
        rows.append(("ostfs: mount + ls -lR MOUNT, warm (size index of a mount before)",
                     *mounted_task(source, workdir, "ls -lR '{mnt}' > /dev/null", mount_options=[]), False))
        rows.append((f"ostfs: mount + grep -r {args.word} MOUNT",
                     *mounted_task(source, workdir, f"grep -r -l '{args.word}' '{{mnt}}' > /dev/null || true"), False))
        out = outputs / "export.pst"
        warm(source)
        wall, cpu, _ = run_timed(f"'{OSTFS}' export '{source}' '{out}' > /dev/null")
        out.unlink()
        rss = peak_rss_of(f"'{OSTFS}' export '{source}' '{out}' > /dev/null")
        rows.append(("ostfs export FILE OUT.pst", wall, cpu, rss, None, False))
    finally:
        subprocess.run(f"rm -rf '{workdir}' '{outputs}'", shell=True)

    def yardstick(prefix):
        """The wall time of the peer row named so, or None when it failed."""
        return next((r[1] for r in rows if r[0].startswith(prefix) and not r[5]), None)

    readpst = yardstick("readpst -e")
    readpst_serial = yardstick("readpst -j 0")
    pffexport = yardstick("pffexport")
    size_mb = source.stat().st_size / 1e6
    cpu_model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), platform.machine())
    lines = [
        f"### {source.name} ({size_mb:,.0f} MB), {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu_model}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"{platform.system()} {platform.release()}; page cache warm; outputs written to "
        f"{output_root or Path(tempfile.gettempdir())} ({filesystem_of(outputs.parent)}).",
        "",
        "| task | wall s | CPU s | peak RSS MB | items out | × readpst | × readpst -j 0 | × pffexport |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    def ratio(wall, base, failed):
        return f"{wall / base:.2f}" if base and not failed else "–"

    for name, wall, cpu, rss, items, failed in rows:
        rss_text = f"{rss:.0f}" if rss is not None else "–"
        items_text = f"{items:,}" if items is not None else "–"
        name = name.replace("|", "\\|")  # a pipe inside a Markdown cell
        lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {rss_text} | {items_text} | {ratio(wall, readpst, failed)} | "
                     f"{ratio(wall, readpst_serial, failed)} | {ratio(wall, pffexport, failed)} |")
    table = "\n".join(lines) + "\n"
    print(table)
    with open(args.results, "a") as results:
        results.write("\n" + table)


if __name__ == "__main__":
    sys.exit(main())
