#!/usr/bin/python3
"""Checks rendered .eml files with Python's email package (policy=default).

Usage: check_eml.py MANIFEST.json. The manifest is a list of cases:
  {"eml": path, "headers": {name: decoded value}, "attachments": {filename: path of the
   expected bytes}, "structure": [content types in walk order], "body": text of the first
   text/plain part, "header_defects": true}
Every part must parse without defects (and, unless "header_defects" is false, every header
too). Prints one line per failure; exits 1 when there is any.
"""
import email
import email.policy
import json
import sys


def check(case):
    errors = []
    with open(case["eml"], "rb") as f:
        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
    parts = list(msg.walk())
    for part in parts:
        if part.defects:
            errors.append(f"{part.get_content_type()}: defects {part.defects!r}")
        if case.get("header_defects", True):
            for name, value in part.items():
                defects = list(getattr(value, "defects", ()))
                if defects:
                    errors.append(f"header {name}: defects {defects!r}")
    for name, expected in case.get("headers", {}).items():
        actual = msg[name]
        if actual is None or str(actual) != expected:
            errors.append(f"header {name}: {actual!r} != {expected!r}")
    found = {}
    for part in parts:
        filename = part.get_filename()
        if filename is not None and not part.is_multipart():
            found.setdefault(filename, part.get_payload(decode=True))
    for name, path in case.get("attachments", {}).items():
        with open(path, "rb") as f:
            expected = f.read()
        if name not in found:
            errors.append(f"attachment {name!r} missing; have {sorted(found)!r}")
        elif found[name] != expected:
            errors.append(f"attachment {name!r}: {len(found[name])} bytes differ from {len(expected)}")
    if "structure" in case:
        types = [p.get_content_type() for p in parts]
        if types != case["structure"]:
            errors.append(f"structure {types!r} != {case['structure']!r}")
    if "body" in case:
        plain = next((p for p in parts if p.get_content_type() == "text/plain"), None)
        if plain is None:
            errors.append("no text/plain part")
        elif plain.get_content() != case["body"]:
            errors.append(f"body {plain.get_content()!r} != {case['body']!r}")
    return [f"{case['eml']}: {e}" for e in errors]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    errors = [e for case in cases for e in check(case)]
    for e in errors:
        print(e)
    print(f"checked {len(cases)} files, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
