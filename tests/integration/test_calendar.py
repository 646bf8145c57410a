"""Calendar files of the mount in real readers: khal imports and lists them, libical parses
them, and every recurring series expands to the occurrences its own recurrence blob defines
and that readpst and pffexport show for the same item.

libical is reached through its GObject binding (Debian's gir1.2-ical-3.0), so the parser and
the recurrence iterator are libical's own C code; the blob decoder below is written from
[MS-OXOCAL] 2.2.1.44 and shares nothing with ostfs.
"""
import calendar
import datetime
import os
import re
import struct
import tempfile
import unittest
from pathlib import Path

import gi
import icalendar
from dateutil import rrule as dateutil_rrule

import pff_oracle
from support import CORPUS, REPORTS, corpus_files, mounted, require_corpus, run

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402  (needs the version pinned first)

FE01 = CORPUS / "pranavsundararajan__National-Cyber-Scholarship-2021-Writeups__fe01.ost"
DIST_LIST = CORPUS / "rjohnsondev__java-libpst__dist-list.pst"
# Occurrences compared per series (a series that ends earlier is compared whole).
FIRST_N = 12

VEVENT = ICalGLib.ComponentKind.VEVENT_COMPONENT


def mount_ics(source):
    """{relative path: (node id, bytes)} of every .ics in the mount of `source`."""
    out = {}
    with mounted(source) as mnt:
        nids = {}
        for line in (mnt / REPORTS / "manifest.tsv").read_text().splitlines():
            row = line.split("\t")
            if row[0] == "item":
                nids[row[2].lstrip("/")] = int(row[1])
        for dirpath, dirnames, filenames in os.walk(mnt):
            dirnames[:] = sorted(d for d in dirnames if d != REPORTS)
            for name in sorted(filenames):
                if name.endswith(".ics"):
                    rel = str((Path(dirpath) / name).relative_to(mnt))
                    out[rel] = (nids.get(rel), (Path(dirpath) / name).read_bytes())
    return out


def files_with_ics():
    """(corpus file, {path: (nid, bytes)}) for every corpus file whose mount has .ics files."""
    found = []
    for source in corpus_files():
        try:
            ics = mount_ics(source)
        except AssertionError:
            continue  # files the mount refuses (encrypted, corrupt header) are test_cli's business
        if ics:
            found.append((source, ics))
    return found


def parse_libical(data):
    component = ICalGLib.Component.new_from_string(data.decode("utf-8"))
    return component


def components(parent, kind):
    out = []
    c = parent.get_first_component(kind)
    while c is not None:
        out.append(c)
        c = parent.get_next_component(kind)
    return out


def properties(component, kind):
    out = []
    p = component.get_first_property(kind)
    while p is not None:
        out.append(p)
        p = component.get_next_property(kind)
    return out


def utc_of(t):
    """A libical time as a UTC datetime (its own zone applied); dates as their midnight UTC."""
    zone = t.get_timezone()
    seconds = t.as_timet_with_zone(zone) if zone is not None else t.as_timet()
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


def wall(t):
    """A libical time as its own wall clock: 'YYYYMMDDTHHMMSS', or 'YYYYMMDD' for a date."""
    return t.as_ical_string().rstrip("Z")


def naive(t):
    """A libical time's wall clock as a naive datetime (a date as its midnight)."""
    text = wall(t)
    return datetime.datetime.strptime(text, "%Y%m%d" if len(text) == 8 else "%Y%m%dT%H%M%S")


class CalendarClientsAccept(unittest.TestCase):
    """Every .ics of every corpus file: libical parses it without errors, khal imports it
    into a scratch calendar, and `khal list` shows each event at its own start."""

    @classmethod
    def setUpClass(cls):
        require_corpus(cls)
        cls.files = files_with_ics()

    def test_corpus_has_the_calendar_files_we_expect(self):
        by_name = {source.name: ics for source, ics in self.files}
        self.assertIn(FE01.name, by_name)
        self.assertEqual(len(by_name[FE01.name]), 173)
        self.assertIn(DIST_LIST.name, by_name)
        self.assertIn("hughbe__PstReader__hughbe_Outlook.pst", by_name)  # an event, a task and a journal entry

    def test_libical_parses_every_file(self):
        checked = 0
        for source, ics in self.files:
            for path, (_, data) in ics.items():
                with self.subTest(file=source.name, path=path):
                    cal = parse_libical(data)
                    self.assertIsNotNone(cal, "libical could not parse it")
                    self.assertEqual(cal.isa(), ICalGLib.ComponentKind.VCALENDAR_COMPONENT)
                    self.assertEqual(cal.count_errors(), 0, cal.as_ical_string())
                    kinds = [ICalGLib.ComponentKind.VEVENT_COMPONENT, ICalGLib.ComponentKind.VTODO_COMPONENT,
                             ICalGLib.ComponentKind.VJOURNAL_COMPONENT]
                    self.assertTrue(any(components(cal, k) for k in kinds), "no event, task or journal entry")
                    checked += 1
        self.assertGreaterEqual(checked, 180)

    def test_khal_imports_and_lists_every_event(self):
        imported_events = 0
        for source, ics in self.files:
            with self.subTest(file=source.name), tempfile.TemporaryDirectory() as tmp:
                imported_events += self.check_khal(Path(tmp), ics)
        self.assertGreaterEqual(imported_events, 180)

    def check_khal(self, tmp, ics):
        """Imports every file of one mount into a fresh calendar; returns the events expected."""
        vdir = tmp / "calendar"
        vdir.mkdir()
        config = tmp / "khal.conf"
        config.write_text(f"""[calendars]
[[scratch]]
path = {vdir}
type = calendar
[locale]
local_timezone = UTC
default_timezone = UTC
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = {tmp / 'khal.db'}
""")
        expected = {}  # (uid, start as khal prints it in UTC): title
        absent = set()    # excluded occurrences: EXDATEs and the original times of moved ones
        first = last = None
        for path, (_, data) in ics.items():
            file = tmp / "in.ics"
            file.write_bytes(data)
            result = run(["khal", "-c", config, "import", "--batch", "-a", "scratch", file])
            self.assertEqual(result.returncode, 0, f"{path}: {result.stdout}{result.stderr}")
            self.assertEqual(result.stderr.strip(), "", path)
            cal = parse_libical(data)
            for ev in components(cal, VEVENT):
                start = ev.get_dtstart()
                when = utc_of(start)
                shown = when.strftime("%Y-%m-%d") if start.is_date() else when.strftime("%Y-%m-%d %H:%M")
                expected[(ev.get_uid(), shown)] = ev.get_summary() or ""
                for p in properties(ev, ICalGLib.PropertyKind.EXDATE_PROPERTY):
                    absent.add((ev.get_uid(), utc_of(p.get_exdate()).strftime("%Y-%m-%d %H:%M")))
                rid = ev.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
                if rid is not None and utc_of(rid.get_recurrenceid()) != when:
                    absent.add((ev.get_uid(), utc_of(rid.get_recurrenceid()).strftime("%Y-%m-%d %H:%M")))
                first = min(first or when, when)
                last = max(last or when, when)
        if not expected:
            return 0
        listing = run(["khal", "-c", config, "list", "-a", "scratch", "--day-format", "",
                       "--format", "{uid}\t{start}\t{title}",
                       (first - datetime.timedelta(days=2)).strftime("%Y-%m-%d"),
                       (last + datetime.timedelta(days=2)).strftime("%Y-%m-%d")])
        self.assertEqual(listing.returncode, 0, listing.stderr)
        # A title with a line break continues on the next lines: only its first line is compared.
        shown = {}
        for line in listing.stdout.splitlines():
            fields = line.split("\t", 2)
            if len(fields) == 3:
                shown[(fields[0], fields[1])] = fields[2]
        missing = set(expected) - set(shown)
        self.assertEqual(missing, set(), f"events khal does not list ({len(shown)} lines listed)")
        for key, title in expected.items():
            self.assertEqual(shown[key], title.split("\n")[0], f"title of {key}")
        for uid, when in absent:
            self.assertNotIn((uid, when), shown, f"{uid} still listed at {when}")
        return len(expected)


# --- the recurrence blob, decoded from [MS-OXOCAL] 2.2.1.44 for the oracle ---

def minutes_1601(minutes):
    return datetime.datetime(1601, 1, 1) + datetime.timedelta(minutes=minutes)


class Blob:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]


def decode_appointment_recur(data):
    b = Blob(data)
    p = {}
    _, _, p["frequency"], p["pattern_type"], p["calendar_type"] = b.take("HHHHH")
    p["first_date_time"], p["period"], _ = b.take("III")
    if p["pattern_type"] == 1:
        p["day_mask"] = b.take("I")
    elif p["pattern_type"] in (2, 4):
        p["day"] = b.take("I")
    elif p["pattern_type"] == 3:
        p["day_mask"], p["n"] = b.take("II")
    p["end_type"], p["count"], p["first_dow"] = b.take("III")
    p["deleted"] = [b.take("I") for _ in range(b.take("I"))]
    p["modified"] = [b.take("I") for _ in range(b.take("I"))]
    p["start_date"], p["end_date"] = b.take("II")
    _, _, p["start_offset"], p["end_offset"] = b.take("IIII")
    p["exceptions"] = []
    for _ in range(b.take("H")):
        start, end, original, flags = b.take("IIIH")
        for bit, size in ((0x1, None), (0x2, 4), (0x4, 4), (0x8, 4), (0x10, None), (0x20, 4), (0x40, 4),
                          (0x80, 4), (0x100, 4)):
            if flags & bit:
                if size is None:
                    _, length = b.take("HH")
                    b.pos += length
                else:
                    b.pos += size
        p["exceptions"].append((minutes_1601(original), minutes_1601(start), minutes_1601(end)))
    return p


def pattern_days(p):
    """The occurrence dates the pattern defines, in order, before deletions (a generator)."""
    start = minutes_1601(p["start_date"]).date()
    kind, period = p["pattern_type"], p["period"]
    if kind == 0:
        day = start
        while True:
            yield day
            day += datetime.timedelta(minutes=period)
    elif kind == 1:
        # Weeks start on FirstDOW (0 = Sunday); every `period`-th week from the start's.
        offset = (start.isoweekday() % 7 - p["first_dow"]) % 7
        week = start - datetime.timedelta(days=offset)
        while True:
            for i in range(7):
                day = week + datetime.timedelta(days=i)
                if day >= start and p["day_mask"] >> (day.isoweekday() % 7) & 1:
                    yield day
            week += datetime.timedelta(weeks=period)
    else:
        year, month = start.year, start.month
        while True:
            length = calendar.monthrange(year, month)[1]
            if kind == 2:
                candidates = [min(p["day"], length)]
            elif kind == 4:
                candidates = [length]
            else:
                days = [d for d in range(1, length + 1)
                        if p["day_mask"] >> (datetime.date(year, month, d).isoweekday() % 7) & 1]
                candidates = [days[-1] if p["n"] == 5 else days[p["n"] - 1]]
            for d in candidates:
                if datetime.date(year, month, d) >= start:
                    yield datetime.date(year, month, d)
            month += period
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def pattern_occurrences(p, limit):
    """The first `limit` occurrence starts (wall clock) the pattern defines, before deletions."""
    out = []
    for day in pattern_days(p):
        if p["end_type"] == 0x2022 and len(out) >= p["count"]:
            break
        if p["end_type"] == 0x2021 and day > minutes_1601(p["end_date"]).date():
            break
        if len(out) >= limit:
            break
        out.append(datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(minutes=p["start_offset"]))
    return out


def recurrence_blobs(source):
    """{node id: PidLidAppointmentRecur bytes} of every recurring item libpff reads.

    pypff does not resolve named properties, so the blob is found by its own signature:
    ReaderVersion and WriterVersion 0x3004, then a RecurFrequency 0x200A-0x200D."""
    out = {}

    def walk(folder):
        for i in range(folder.number_of_sub_messages):
            message = folder.get_sub_message(i)
            if message.number_of_record_sets == 0:
                continue
            for entry in message.get_record_set(0).entries:
                data = entry.data
                if (entry.entry_type >= 0x8000 and entry.value_type == 0x0102 and data and len(data) > 50
                        and data[:4] == b"\x04\x30\x04\x30" and 0x200A <= struct.unpack_from("<H", data, 4)[0] <= 0x200D):
                    out[message.identifier] = bytes(data)
        for sub in folder.sub_folders:
            walk(sub)

    walk(pff_oracle.open_file(source).get_root_folder())
    return out


def readpst_events(source, tmp):
    """{(summary, created UTC): VEVENT} of what `readpst -r` writes for `source`."""
    out_dir = tmp / "readpst"
    out_dir.mkdir()
    result = run(["readpst", "-q", "-r", "-o", out_dir, source])
    if result.returncode != 0:
        raise AssertionError(f"readpst failed: {result.stderr}")
    events = {}
    for path in out_dir.rglob("calendar"):
        # readpst writes one VCALENDAR per item into the folder's file.
        for cal in icalendar.Calendar.from_ical(path.read_bytes(), multiple=True):
            for ev in cal.walk("VEVENT"):
                key = (str(ev.get("SUMMARY")), ev.decoded("CREATED").strftime("%Y%m%dT%H%M%S"))
                events.setdefault(key, []).append(ev)
    return events


PFF_TIME = re.compile(r"^(Start time|End time|Creation time|Subject|First effective time):\s*(.*)$", re.M)


def pff_time(text):
    """pffexport's "Aug 02, 2016 15:00:00.000000000 UTC" as a UTC datetime (seconds)."""
    return datetime.datetime.strptime(text.split(".")[0], "%b %d, %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def pffexport_appointments(source, tmp):
    """{(subject, created UTC): (start time, first effective time or None, [(exception start, end)])}
    of every appointment pffexport writes for `source`."""
    result = run(["pffexport", "-q", "-t", tmp / "pff", source])
    if result.returncode != 0:
        raise AssertionError(f"pffexport failed: {result.stderr}")
    out = {}
    for txt in (tmp / "pff.export").rglob("Appointment.txt"):
        if "Attachments" in txt.relative_to(tmp / "pff.export").parts:
            continue
        fields = dict(PFF_TIME.findall(txt.read_text(errors="replace")))
        exceptions = []
        attachments = txt.parent / "Attachments"
        if attachments.is_dir():
            for inner in sorted(attachments.rglob("Appointment.txt")):
                f = dict(PFF_TIME.findall(inner.read_text(errors="replace")))
                exceptions.append((pff_time(f["Start time"]), pff_time(f["End time"])))
        key = (fields.get("Subject", ""), pff_time(fields["Creation time"]).strftime("%Y%m%dT%H%M%S"))
        out[key] = (pff_time(fields["Start time"]),
                    pff_time(fields["First effective time"]) if fields.get("First effective time") else None,
                    sorted(exceptions))
    return out


class RecurrencesMatchTheirPatterns(unittest.TestCase):
    """Each recurring series of fe01.ost and dist-list.pst, expanded by libical's iterator from
    our RRULE/EXDATE/RECURRENCE-ID, against (1) the item's own AppointmentRecurrencePattern,
    (2) readpst's RRULE expanded by python-dateutil, (3) what pffexport prints."""

    def test_fe01_series(self):
        require_corpus(self)
        self.assertEqual(self.check_file(FE01), 13)

    def test_dist_list_series(self):
        require_corpus(self)
        self.assertEqual(self.check_file(DIST_LIST), 1)

    def check_file(self, source):
        blobs = recurrence_blobs(source)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            readpst = readpst_events(source, tmp)
            pff = pffexport_appointments(source, tmp)
        series = 0
        for path, (nid, data) in mount_ics(source).items():
            cal = parse_libical(data)
            events = components(cal, VEVENT)
            masters = [e for e in events if e.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY)]
            if not masters:
                self.assertNotIn(nid, blobs, f"{path}: libpff has a recurrence blob, the .ics no RRULE")
                continue
            self.assertIn(nid, blobs, f"{path}: RRULE without a recurrence blob")
            with self.subTest(path=path):
                self.check_series(masters[0], events, decode_appointment_recur(blobs[nid]), readpst, pff)
            series += 1
        self.assertEqual(series, len(blobs), "every recurring item has a series in the mount")
        return series

    def check_series(self, master, events, pattern, readpst, pff):
        start = master.get_dtstart()
        all_day = start.is_date()
        fmt = "%Y%m%d" if all_day else "%Y%m%dT%H%M%S"
        rule = master.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY).get_rrule()
        iterator = ICalGLib.RecurIterator.new(rule, start)
        rule_times = []  # every occurrence of the RRULE, exceptions not applied
        while len(rule_times) < FIRST_N:
            t = iterator.next()
            if t is None or t.is_null_time():
                break
            rule_times.append(t)
        exdates = {wall(p.get_exdate()) for p in properties(master, ICalGLib.PropertyKind.EXDATE_PROPERTY)}
        overrides = {}
        for ev in events:
            rid = ev.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
            if rid is not None:
                overrides[wall(rid.get_recurrenceid())] = ev
        ours = [wall(t) for t in rule_times if wall(t) not in exdates and wall(t) not in overrides]

        # (1) The pattern's own data.
        defined = pattern_occurrences(pattern, FIRST_N)
        deleted_days = {minutes_1601(d).date() for d in pattern["deleted"]}
        expected = [t.strftime(fmt) for t in defined if t.date() not in deleted_days]
        self.assertEqual(ours, expected[:len(ours)], "occurrences differ from the pattern's")
        self.assertEqual(len(ours), len(expected), "occurrence count differs from the pattern's")
        self.assertEqual({datetime.datetime.strptime(d[:8], "%Y%m%d").date() for d in exdates | set(overrides)},
                         deleted_days, "deleted and modified dates differ from DeletedInstanceDates")
        self.assertEqual({datetime.datetime.strptime(d[:8], "%Y%m%d").date() for d in overrides},
                         {minutes_1601(d).date() for d in pattern["modified"]}, "modified dates")
        for original, new_start, new_end in pattern["exceptions"]:
            ev = overrides.get(original.strftime(fmt))
            self.assertIsNotNone(ev, f"no RECURRENCE-ID for the exception of {original}")
            self.assertEqual(wall(ev.get_dtstart()), new_start.strftime(fmt), f"moved start of {original}")
            self.assertEqual(wall(ev.get_dtend()), new_end.strftime(fmt), f"moved end of {original}")

        # (2) readpst's RRULE for the same item (matched by subject and creation time).
        created = master.get_first_property(ICalGLib.PropertyKind.CREATED_PROPERTY).get_created()
        key = (master.get_summary(), created.as_ical_string().rstrip("Z"))
        self.assertEqual(len(readpst.get(key, [])), 1, f"readpst event for {key}")
        theirs = readpst[key][0]
        their_start = theirs.decoded("DTSTART")
        their_rule = dateutil_rrule.rrulestr(theirs["RRULE"].to_ical().decode(), dtstart=their_start)
        their_times = [t.replace(tzinfo=None) for t in list(their_rule[:FIRST_N])]
        # readpst writes a fixed UTC DTSTART and we the series' wall clock: each occurrence is
        # the same step from the first in both frames.
        our_times = [naive(t) for t in rule_times]
        self.assertEqual(len(their_times), len(our_times))
        shift = our_times[0] - their_times[0]
        self.assertLessEqual(abs(shift), datetime.timedelta(hours=14), "first occurrences far apart")
        self.assertEqual([t - shift for t in our_times], their_times, "readpst's RRULE expands differently")
        if not all_day:
            self.assertEqual(utc_of(start), their_start, "first occurrence instant differs from readpst's")

        # (3) pffexport: the series' first effective day and each exception's start and end.
        self.assertIn(key, pff, f"pffexport item for {key}")
        pff_start, first_effective, pff_exceptions = pff[key]
        first_day = naive(rule_times[0]).date()
        if all_day:
            # Outlook stores an all-day start as local midnight in UTC: within 12 hours of it.
            self.assertEqual((pff_start + datetime.timedelta(hours=12)).date(), first_day, "start day")
        else:
            self.assertEqual(utc_of(start), pff_start, "first occurrence instant differs from pffexport's")
        if first_effective is not None:
            # PidLidClipStart is the first occurrence's local midnight as UTC.
            self.assertEqual((first_effective + datetime.timedelta(hours=12)).date(), first_day, "first effective day")
        our_exceptions = sorted((utc_of(ev.get_dtstart()), utc_of(ev.get_dtend())) for ev in overrides.values())
        self.assertEqual(our_exceptions, pff_exceptions, "exception times differ from pffexport's")


if __name__ == "__main__":
    unittest.main()
