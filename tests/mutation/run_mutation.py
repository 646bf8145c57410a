#!/usr/bin/python3
"""Mutation test: damaged copies of real PST/OST files through `ostfs mount` and `ostfs export`.

For every case (source file, mutation kind, index; see mutations.py), with a fixed seed:
  1. libpff (pypff, oracle.py) lists the folders and messages it reads in the damaged file;
  2. `ostfs mount` mounts it, walk_mount.py stats and reads every file, then the mount's
     .ostfs/errors.log and manifest.tsv are read and the mount is taken down;
  3. `ostfs export --verbose` writes it to a new PST.
A case passes when nothing crashes (no exit by signal or sanitizer, the daemon alive and the
mount present until we unmount it), nothing hangs (each step within its time limit), and no
item is lost silently: every message libpff reads is shown in the mount (manifest.tsv) and
reads back completely with its stat size, or errors.log names it; and the export accounts for
every item the mount shows in its IPM part (written or reported skipped).

Profiles: `quick` (7 files x 20 cases = 140; for sanitized builds), `ci` (every corpus file x 12
cases, about 370; the release-build ctest) and `full` (every corpus file x 75 cases, about
2,300). Timings are in README.md. Reproduce one case with --case NAME:KIND:INDEX (and the same
--seed); --keep leaves the damaged file, the mount's reports and the export output in --work.

Exit status 0 when every case passes, 1 otherwise (failures are listed with how to rerun them).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutations  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = '/usr/bin/python3'
DEFAULT_SEED = 20240501

# Small files of each kind: ANSI and Unicode PST, embedded messages, contacts, calendar,
# an Exchange OST; so a CI run meets each reader path.
QUICK_FILES = [
    'emk__pstsdk__test_ansi.pst',
    'aquasync__ruby-msg__msgInMsg.pst',
    'hughbe__PstReader__hughbe_Outlook.pst',
    'rjohnsondev__java-libpst__dist-list.pst',
    'aquasync__ruby-msg__attachAndInline.pst',
    'simiden__pst2john__97_outlook_pass12345.pst',
    'aspose-email__Aspose.Email-for-.NET__SampleOstFile.ost',
]
PROFILES = {
    'quick': {'files': QUICK_FILES, 'per_kind': {'truncate': 3, 'flip': 8, 'zero512': 5, 'zero4k': 4}},
    # Every corpus file, a dozen damages each: what CI runs in a release build.
    'ci': {'files': None, 'per_kind': {'truncate': 2, 'flip': 4, 'zero512': 3, 'zero4k': 3}},
    'full': {'files': None, 'per_kind': {'truncate': 10, 'flip': 30, 'zero512': 20, 'zero4k': 15}},
}


def time_limits():
    # Sanitized builds run several times slower (scripts/test-sanitized.sh sets the scale).
    scale = float(os.environ.get('OSTFS_MUTATION_TIME_SCALE', '1'))
    # An undamaged corpus file walks in under 20 s and exports in under 60 s (release build).
    return {'oracle': 60 * scale, 'mount': 30 * scale, 'walk': 60 * scale, 'unmount': 30 * scale,
            'export': 120 * scale}


class Case:
    def __init__(self, name, kind, index, seed):
        self.name, self.kind, self.index, self.seed = name, kind, index, seed
        self.id = mutations.case_id(name, kind, index)
        self.problems = []
        self.notes = []
        self.description = ''

    def fail(self, what):
        self.problems.append(what)


def daemon_pids(mountpoint):
    """The ostfs processes serving `mountpoint` (matched on their exact argument list)."""
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as f:
                args = f.read().split(b'\0')
        except OSError:
            continue
        if b'mount' in args and os.fsencode(mountpoint) in args and any(a.endswith(b'ostfs') for a in args[:1]):
            pids.append(int(entry))
    return pids


def alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().split(') ')[-1][:1] not in ('Z', 'X')
    except OSError:
        return False


def mounted(mountpoint):
    with open('/proc/mounts') as f:
        return any(line.split()[1] == mountpoint for line in f)


def run(args, timeout, before_kill=None):
    """(returncode or None on timeout, stdout, stderr); the child is killed on timeout.

    A process blocked in a FUSE request sleeps uninterruptibly and does not die of SIGKILL
    while the daemon lives: `before_kill` (which kills the daemon) runs first."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        if before_kill:
            before_kill()
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return None, out, err


def describe_exit(code):
    if code is None:
        return 'timed out'
    if code < 0:
        return 'killed by signal %s' % signal.Signals(-code).name
    return 'exit status %d' % code


def oracle(path, limits, case):
    code, out, err = run([PYTHON, os.path.join(HERE, 'oracle.py'), path], limits['oracle'])
    if code != 0:
        # libpff itself failed on this damage: the rule cannot be checked, ostfs still must not crash.
        case.notes.append('oracle (pypff) %s' % describe_exit(code))
        return None
    return json.loads(out)


def parse_tsv(text):
    return [line.split('\t') for line in text.splitlines() if line and not line.startswith('#')]


def take_down(mountpoint, pids, limits, case):
    code, _, err = run(['fusermount3', '-u', mountpoint], limits['unmount'])
    if code != 0:
        case.fail('fusermount3 -u %s: %s' % (describe_exit(code), err.decode(errors='replace').strip()))
        run(['fusermount3', '-u', '-z', mountpoint], limits['unmount'])
    deadline = time.monotonic() + limits['unmount']
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        if alive(pid):
            case.fail('daemon %d still running %ds after unmount' % (pid, limits['unmount']))
            os.kill(pid, signal.SIGKILL)


def check_mount(path, mountpoint, seen_by_libpff, limits, case):
    """Returns the mount's manifest rows (or None when it did not mount)."""
    os.makedirs(mountpoint, exist_ok=True)
    code, _, err = run([os.environ['OSTFS_BIN'], 'mount', path, mountpoint], limits['mount'])
    if code is None or code < 0 or code not in (0, 2):
        case.fail('ostfs mount %s: %s' % (describe_exit(code), err.decode(errors='replace').strip()[-300:]))
        if mounted(mountpoint):
            take_down(mountpoint, daemon_pids(mountpoint), limits, case)
        return None
    if code == 2:
        readable = sum(len(f['messages']) for f in seen_by_libpff['folders']) if seen_by_libpff and seen_by_libpff['opened'] else 0
        if readable:
            case.fail('ostfs refuses the file (%s) but libpff reads %d messages in it'
                      % (err.decode(errors='replace').strip(), readable))
        return None
    pids = daemon_pids(mountpoint)
    hung = []

    def kill_hung_daemon():
        hung.append(True)
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        run(['fusermount3', '-u', '-z', mountpoint], limits['unmount'])

    code, out, err = run([PYTHON, os.path.join(HERE, 'walk_mount.py'), mountpoint], limits['walk'],
                         before_kill=kill_hung_daemon)
    walk = None
    if code != 0:
        case.fail('walking the mount: %s: %s' % (describe_exit(code), err.decode(errors='replace').strip()[-300:]))
    else:
        walk = json.loads(out)
    if hung:
        return None  # the daemon was killed for the hang; its death is not a crash
    if not pids or not all(alive(p) for p in pids):
        case.fail('the mount daemon died during the walk')
    if not mounted(mountpoint):
        case.fail('the mount disappeared during the walk')
    if mounted(mountpoint):
        take_down(mountpoint, pids, limits, case)
    if walk is None:
        return None

    errors = parse_tsv(walk['reports']['errors.log'])
    manifest = parse_tsv(walk['reports']['manifest.tsv'])
    case.keep_reports = walk['reports']
    error_nids = {row[1] for row in errors if len(row) >= 3}
    error_reasons = {}
    for row in errors:
        if len(row) >= 3:
            error_reasons.setdefault(row[1], []).append(row[2])
    shown = {}
    for row in manifest:
        if row[0] == 'item' and len(row) >= 5:
            shown.setdefault(row[1], row[2])
    by_path = {f['path']: f for f in walk['files']}
    for f in walk['files']:
        if 'errno' in f:
            continue
        if f['size'] != f['read'] and not error_nids:
            case.fail('%s: stat says %d bytes, read gave %d, and errors.log is empty' % (f['path'], f['size'], f['read']))
    if seen_by_libpff is None or not seen_by_libpff['opened']:
        return manifest
    for folder in seen_by_libpff['folders']:
        folder_nid = str(folder['nid'])
        folder_reasons = error_reasons.get(folder_nid, [])
        for message in folder['messages']:
            nid = str(message['nid'])
            if nid in error_nids:
                continue
            # A folder listing that fails names the message by position (libpff) or node id
            # (native reader), or fails as a whole.
            listed_by_index = any(r.startswith(('message %d:' % message['index'], 'message %s:' % nid,
                                                'listing messages'))
                                  for r in folder_reasons)
            if nid not in shown:
                if not listed_by_index:
                    case.fail('message %s (folder %s, index %d) is read by libpff but neither shown nor in errors.log'
                              % (nid, folder_nid, message['index']))
                continue
            record = by_path.get(shown[nid].lstrip('/'))
            if record is None:
                case.fail('message %s is in manifest.tsv as %s but the walk did not find that file' % (nid, shown[nid]))
            elif 'errno' in record:
                case.fail('message %s (%s): read failed with errno %d and errors.log does not name it'
                          % (nid, record['path'], record['errno']))
            elif record['size'] != record['read']:
                case.fail('message %s (%s): stat says %d bytes, read gave %d, and errors.log does not name it'
                          % (nid, record['path'], record['size'], record['read']))
    return manifest


def check_export(path, out_pst, manifest, limits, case):
    if os.path.exists(out_pst):
        os.remove(out_pst)
    code, out, err = run([os.environ['OSTFS_BIN'], 'export', '--verbose', path, out_pst], limits['export'])
    if code is None or code < 0 or code not in (0, 2, 5):
        case.fail('ostfs export %s: %s' % (describe_exit(code), err.decode(errors='replace').strip()[-300:]))
        return
    if code == 2:
        if manifest is not None:
            case.fail('ostfs export refuses a file that ostfs mount mounted: %s' % err.decode(errors='replace').strip())
        return
    if manifest is None:
        return
    other = '/Other folders (ostfs)/'
    ipm_items = sum(1 for row in manifest if row[0] == 'item' and not row[2].startswith(other))
    counts = {}
    for line in out.decode(errors='replace').splitlines():
        words = line.replace(',', '').split()
        if words[:1] == ['items:'] and len(words) >= 7:
            counts = {'written': int(words[1]), 'read': int(words[4]), 'skipped': int(words[6])}
    if not counts:
        case.fail('ostfs export printed no item counts')
    elif counts['written'] + counts['skipped'] < ipm_items:
        case.fail('ostfs export wrote %d and skipped %d items, but the mount shows %d outside "Other folders"'
                  % (counts['written'], counts['skipped'], ipm_items))


def run_case(case, source_bytes, work, limits, keep):
    damaged, case.description = mutations.mutate(source_bytes, case.name, case.kind, case.index, case.seed)
    slug = case.id.replace(':', '__')
    case_dir = os.path.join(work, slug)
    os.makedirs(case_dir, exist_ok=True)
    path = os.path.join(case_dir, 'damaged' + os.path.splitext(case.name)[1])
    with open(path, 'wb') as f:
        f.write(damaged)
    started = time.monotonic()
    seen = oracle(path, limits, case)
    manifest = check_mount(path, os.path.join(case_dir, 'mnt'), seen, limits, case)
    check_export(path, os.path.join(case_dir, 'export.pst'), manifest, limits, case)
    case.seconds = time.monotonic() - started
    if case.problems or keep:
        for name, text in getattr(case, 'keep_reports', {}).items():
            with open(os.path.join(case_dir, name), 'w', encoding='utf-8') as f:
                f.write(text)
    else:
        shutil.rmtree(case_dir, ignore_errors=True)


def cases_for(profile, corpus, seed, only):
    spec = PROFILES[profile]
    names = spec['files'] or sorted(n for n in os.listdir(corpus) if n.lower().endswith(('.pst', '.ost')))
    out = []
    for name in names:
        for kind in mutations.KINDS:
            for index in range(spec['per_kind'][kind]):
                case = Case(name, kind, index, seed)
                if only is None or case.id == only:
                    out.append(case)
    if only and not out:
        name, kind, index = only.rsplit(':', 2)
        out.append(Case(name, kind, int(index), seed))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--profile', choices=sorted(PROFILES), default='quick')
    parser.add_argument('--ostfs', required=True, help='the ostfs binary')
    parser.add_argument('--corpus', required=True, help='directory of the source PST/OST files')
    parser.add_argument('--work', required=True, help='scratch directory (damaged files, mountpoints)')
    parser.add_argument('--seed', type=int, default=DEFAULT_SEED)
    parser.add_argument('--case', help='run only NAME:KIND:INDEX')
    parser.add_argument('--keep', action='store_true', help='keep every case directory, not only failing ones')
    args = parser.parse_args()
    if not os.path.isdir(args.corpus):
        print('mutation: no corpus at %s; nothing to mutate' % args.corpus)
        print('0 passed, 0 failed')
        return 0
    os.environ['OSTFS_BIN'] = os.path.abspath(args.ostfs)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    limits = time_limits()
    cases = cases_for(args.profile, args.corpus, args.seed, args.case)
    sources = {}
    failed = []
    started = time.monotonic()
    for n, case in enumerate(cases, 1):
        if case.name not in sources:
            with open(os.path.join(args.corpus, case.name), 'rb') as f:
                sources[case.name] = f.read()
        run_case(case, sources[case.name], work, limits, args.keep)
        status = 'FAIL' if case.problems else 'ok'
        print('[%d/%d] %s %s (%s) %.1fs%s' % (n, len(cases), status, case.id, case.description[:80], case.seconds,
                                              ''.join('; note: ' + x for x in case.notes)), flush=True)
        for p in case.problems:
            print('    ' + p, flush=True)
        if case.problems:
            failed.append(case)
    print('\nmutation (%s profile, seed %d): %d cases in %.0fs' % (args.profile, args.seed, len(cases),
                                                                  time.monotonic() - started))
    if failed:
        print('Failures (rerun one with: %s --ostfs %s --corpus %s --work %s --seed %d --case CASE --keep):'
              % (os.path.abspath(__file__), args.ostfs, args.corpus, args.work, args.seed))
        for case in failed:
            print('  %s  [%s]' % (case.id, case.description))
            for p in case.problems:
                print('      ' + p)
    print('%d passed, %d failed' % (len(cases) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
