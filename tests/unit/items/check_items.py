#!/usr/bin/python3
"""Parses .vcf and .ics files with independent Python parsers (vobject, icalendar) and
prints what they read, one "KEY=value" line per property, so that the C++ tests can
assert on it. Also checks the line rules: CRLF ends, at most 75 octets per line, UTF-8.

Usage: check_items.py FILE...   Exit status 1 when any file fails to parse."""
import sys

import icalendar
import vobject


def check_lines(data):
    problems = []
    text = data.decode("utf-8")  # raises on invalid UTF-8
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    for number, line in enumerate(data.split(b"\r\n")[:-1], 1):
        if len(line) > 75:
            problems.append("line %d has %d octets" % (number, len(line)))
        if b"\n" in line or b"\r" in line:
            problems.append("line %d has a bare CR or LF" % number)
    return text, problems


def show_vcard(card):
    for child in card.getChildren():
        params = ";".join("%s=%s" % (k, ",".join(v)) for k, v in sorted(child.params.items()))
        value = child.value
        if child.name == "N":
            value = ";".join([value.family, value.given, value.additional, value.prefix, value.suffix])
        elif child.name == "ADR":
            value = ";".join([value.box, value.extended, value.street, value.city, value.region, value.code,
                              value.country])
        elif child.name == "ORG" or child.name == "CATEGORIES":
            value = "|".join(value) if isinstance(value, list) else value
        elif isinstance(value, bytes):
            value = "<%d bytes>" % len(value)
        elif isinstance(value, list):
            value = "|".join(str(v) for v in value)
        print("%s%s=%s" % (child.name, "[" + params + "]" if params else "", str(value).replace("\n", "\\n")))


def ical(value):
    rendered = value.to_ical() if hasattr(value, "to_ical") else str(value)
    return rendered.decode() if isinstance(rendered, bytes) else str(rendered)


def show_ics(cal):
    for comp in cal.walk():
        print("BEGIN=%s" % comp.name)
        for name, value in comp.property_items(recursive=False, sorted=False):
            if name in ("BEGIN", "END"):
                continue
            if isinstance(value, list):
                rendered = "|".join(ical(v) for v in value)
            elif hasattr(value, "params") and isinstance(value, str):
                rendered = str(value)
            else:
                rendered = ical(value)
            params = ""
            if hasattr(value, "params") and value.params:
                params = "[" + ";".join("%s=%s" % (k, v) for k, v in sorted(value.params.items())) + "]"
            print("%s.%s%s=%s" % (comp.name, name, params, rendered.replace("\n", "\\n")))


def main(paths):
    status = 0
    for path in paths:
        print("FILE=%s" % path)
        try:
            with open(path, "rb") as f:
                data = f.read()
            text, problems = check_lines(data)
            for p in problems:
                print("ERROR=%s" % p)
                status = 1
            if path.endswith(".vcf"):
                cards = list(vobject.readComponents(text, validate=True))
                if len(cards) != 1:
                    raise ValueError("%d cards" % len(cards))
                show_vcard(cards[0])
            else:
                cal = icalendar.Calendar.from_ical(text)
                for comp in cal.walk():
                    for error in getattr(comp, "errors", []):
                        raise ValueError("icalendar: %s" % (error,))
                vobject.readOne(text)  # a second, independent parser
                show_ics(cal)
        except Exception as e:  # any parser complaint fails the file
            print("ERROR=%s: %s" % (type(e).__name__, e))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
