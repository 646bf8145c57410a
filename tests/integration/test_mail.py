"""Mail fidelity: the .eml files of real mailboxes are accepted by Python's email package,
notmuch and grep, and stay byte-identical to reviewed goldens.

Independent oracles: libpff (pypff) and pffexport read the bodies and transport headers;
ostfs code is never asked what to expect.

Goldens live in golden/mail/: NAME.eml holds the expected bytes where the source file's
license lets us keep derived data in the repository, sha256.tsv holds only digests for the
others (aquasync: own license; aranetic: AGPL). To regenerate after a deliberate change,
run with OSTFS_REGENERATE_GOLDEN=1 and review the diff:
  OSTFS_REGENERATE_GOLDEN=1 OSTFS_BIN=build/ostfs python3 -m unittest test_mail.Goldens
"""
import email
import email.policy
import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import pff_oracle
from support import CORPUS, REPORTS, corpus_files, mounted, require_corpus, run

GOLDEN = Path(__file__).resolve().parent / "golden" / "mail"
REGENERATE = os.environ.get("OSTFS_REGENERATE_GOLDEN") == "1"
SAMPLE = CORPUS / "aspose-email__Aspose.Email-for-.NET__SampleOstFile.ost"

PR_SUBJECT = 0x0037
PR_MESSAGE_CODEPAGE = 0x3FFD
PR_INTERNET_CPID = 0x3FDE
PT_STRING8 = 0x001E


def openable(path):
    try:
        pff_oracle.open_file(path)
        return True
    except OSError:
        return False


def corpus_mailboxes():
    return [p for p in corpus_files() if openable(p)]


def eml_files(mnt):
    out = []
    for dirpath, dirnames, filenames in os.walk(mnt):
        dirnames[:] = sorted(d for d in dirnames if d != REPORTS)
        out += [Path(dirpath) / n for n in sorted(filenames) if n.endswith(".eml")]
    return out


def item_paths(mnt):
    """node id -> path of its file in the mount, from the mount's own manifest."""
    paths = {}
    for line in (mnt / REPORTS / "manifest.tsv").read_text().splitlines():
        row = line.split("\t")
        if row[0] == "item":
            paths[int(row[1])] = mnt / row[2].lstrip("/")
    return paths


def all_messages(folder, depth=0):
    for i in range(folder.number_of_sub_messages):
        yield folder.get_sub_message(i)
    if depth < 64:
        for sub in folder.sub_folders:
            yield from all_messages(sub, depth + 1)


def parse(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def field_key(name, raw_value):
    """A header field compared across sources: name case-folded, white space collapsed."""
    if isinstance(raw_value, str):
        raw_value = raw_value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name.strip().lower() + ":" + " ".join(raw_value.split())


def header_fields(text):
    """(name, value) of each field of a header block, continuation lines unfolded."""
    fields = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            break
        if line[0] in " \t" and fields:
            fields[-1][1] += " " + line.strip()
        elif ":" in line:
            name, value = line.split(":", 1)
            fields.append([name, value])
    return fields


def transport_fields(source, workdir):
    """Every header field of every stored transport header block of the file (embedded
    messages included), as libpff's pffexport exports them."""
    out = workdir / "pffexport"
    subprocess.run(["pffexport", "-q", "-m", "all", "-t", str(out), str(source)], capture_output=True,
                   timeout=600)
    keys = set()
    for headers in workdir.rglob("InternetHeaders.txt"):
        for name, value in header_fields(headers.read_text("utf-8", "replace")):
            keys.add(field_key(name, value))
    return keys


def message_entities(message):
    """The message and every message embedded in it (message/rfc822 parts), recursively."""
    yield message
    for part in message.walk():
        if part.get_content_type() == "message/rfc822" and part.is_multipart():
            for inner in part.get_payload():
                yield from message_entities(inner)


SKIPPED_DESTINATIONS = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "listtable",
                        "listoverridetable", "latentstyles", "themedata", "colorschememapping", "datastore",
                        "xmlnstbl", "rsidtbl", "generator", "header", "footer", "fldinst", "filetbl"}


def strip_rtf(rtf):
    """The visible words of an RTF document: groups that are destinations ({\\* ...} and
    the tables and pictures above) and control words removed; \\binN data skipped. Good
    enough to pick words, not a renderer."""
    out = []
    skipping = [False]
    at_group_start = False
    i = 0
    while i < len(rtf):
        c = rtf[i]
        if c == "{":
            skipping.append(skipping[-1])
            at_group_start = True
            i += 1
            continue
        if c == "}":
            if len(skipping) > 1:
                skipping.pop()
            out.append(" ")
            i += 1
            continue
        if c == "\\":
            word = re.match(r"\\([a-zA-Z]+)(-?\d+)? ?|\\'[0-9a-fA-F]{2}|\\.", rtf[i:])
            token = word.group(0)
            name = word.group(1) if word.lastindex else None
            if token == "\\*" or (at_group_start and name in SKIPPED_DESTINATIONS):
                skipping[-1] = True
            if name == "bin" and word.group(2):
                i += len(token) + int(word.group(2))
            else:
                i += len(token)
            if name in ("par", "line", "tab") or token.startswith("\\'"):
                out.append(" ")
            at_group_start = False
            continue
        at_group_start = False
        if not skipping[-1]:
            out.append(c)
        i += 1
    return "".join(out)


def oracle_body(message):
    """(kind, text) of a message's body as libpff reads it: plain, else HTML without its
    tags, else the words of the RTF; (None, "") when it has none."""
    plain = message.plain_text_body
    if plain:
        return "plain", plain.decode("utf-8", "replace")
    markup = message.html_body
    if markup:
        text = markup.decode("utf-8", "replace")
        text = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", " ", text)
        return "html", html.unescape(re.sub(r"<[^>]*>", " ", text))
    rtf = message.rtf_body
    if rtf:
        return "rtf", strip_rtf(rtf.decode("latin-1"))
    return None, ""


def distinctive_words(texts):
    """For each text, an ASCII word of 4+ letters it holds, the rarest across `texts`
    (then the longest, then the first): the word grep and notmuch must find it by."""
    counts = {}
    per_text = []
    for text in texts:
        # Word-like: lower case after an optional capital and no letter three times in a
        # row, so encoded data and acronyms stay out.
        words = [w for w in re.findall(r"(?<![A-Za-z0-9\\])[A-Za-z][a-z]{3,}(?![A-Za-z0-9])", text)
                 if not re.search(r"(.)\1\1", w)]
        per_text.append(words)
        for w in set(words):
            counts[w] = counts.get(w, 0) + 1
    out = []
    for words in per_text:
        if not words:
            out.append(None)
            continue
        out.append(min(words, key=lambda w: (counts[w], -len(w), words.index(w))))
    return out


def body_words(source, mnt):
    """[(path, kind, word)] for every message of the file with a body and a usable word."""
    pff = pff_oracle.open_file(source)
    paths = item_paths(mnt)
    found = []
    for message in all_messages(pff.get_root_folder()):
        path = paths.get(message.identifier)
        if path is None or path.suffix != ".eml":
            continue
        kind, text = oracle_body(message)
        if kind:
            found.append((path, kind, text))
    words = distinctive_words([text for _, _, text in found])
    return [(path, kind, word) for (path, kind, _), word in zip(found, words) if word]


class NoDefects(unittest.TestCase):
    """Every .eml parses with no defect in its MIME structure, nor in any header field
    ostfs wrote. Fields copied from the stored transport headers keep their sender's
    defects; a field counts as copied when pffexport finds the same field in the file's
    transport headers."""

    def check_file(self, source):
        with tempfile.TemporaryDirectory() as tmp, mounted(source) as mnt:
            transport = transport_fields(source, Path(tmp))
            files = eml_files(mnt)
            for path in files:
                where = f"{source.name}:{path.relative_to(mnt)}"
                message = parse(path)
                for part in message.walk():
                    self.assertEqual(part.defects, [], f"{where}: MIME defects in {part.get_content_type()}")
                    if part.get_content_type() != "message/rfc822":
                        for name, value in part.items():
                            if name.lower().startswith("content-"):
                                self.assertEqual(list(value.defects), [], f"{where}: {name}: {value!r}")
                for entity in message_entities(message):
                    for (name, value), (_, raw) in zip(entity.items(), entity.raw_items()):
                        if value.defects and field_key(name, raw) not in transport:
                            self.fail(f"{where}: ostfs wrote {name}: {value!r} with defects {value.defects!r}")
            return len(files)

    def test_every_corpus_mailbox(self):
        require_corpus(self)
        total = 0
        for source in corpus_mailboxes():
            with self.subTest(file=source.name):
                total += self.check_file(source)
        self.assertGreater(total, 600)


class FoundByWords(unittest.TestCase):
    """grep and notmuch find each message by a distinctive word of its body."""

    def test_grep_finds_every_body(self):
        require_corpus(self)
        checked = {"plain": 0, "html": 0, "rtf": 0}
        for source in corpus_mailboxes():
            with mounted(source) as mnt:
                for path, kind, word in body_words(source, mnt):
                    with self.subTest(file=source.name, message=path.name, word=word):
                        grep = run(["grep", "-rlF", word, mnt])
                        self.assertIn(str(path), grep.stdout.splitlines(), grep.stderr)
                        checked[kind] += 1
        self.assertGreater(checked["plain"], 300)
        self.assertGreater(checked["html"], 30)
        self.assertGreaterEqual(checked["rtf"], 10)

    def test_notmuch_indexes_every_message(self):
        require_corpus(self)
        with tempfile.TemporaryDirectory() as tmp, mounted(SAMPLE) as mnt:
            maildir = Path(tmp) / "mail"
            rsync = run(["rsync", "-a", "--exclude", REPORTS, "--include", "*/", "--include", "*.eml",
                         "--exclude", "*", f"{mnt}/", f"{maildir}/"])
            self.assertEqual(rsync.returncode, 0, rsync.stderr)
            config = Path(tmp) / "notmuch-config"
            config.write_text(f"[database]\npath={maildir}\n[new]\ntags=new\n[search]\nexclude_tags=\n"
                              "[maildir]\nsynchronize_flags=false\n")
            env = dict(os.environ, NOTMUCH_CONFIG=str(config))
            new = subprocess.run(["notmuch", "new"], capture_output=True, text=True, env=env, timeout=600)
            self.assertEqual(new.returncode, 0, new.stderr)
            self.assertNotIn("non-mail", new.stdout + new.stderr)
            files = eml_files(mnt)
            count = subprocess.run(["notmuch", "count", "--output=files", "*"], capture_output=True, text=True,
                                   env=env)
            self.assertEqual(int(count.stdout), len(files))

            words = body_words(SAMPLE, mnt)
            kinds = [kind for _, kind, _ in words]
            self.assertGreaterEqual(kinds.count("rtf"), 10)
            for path, kind, word in words:
                with self.subTest(message=path.name, kind=kind, word=word):
                    search = subprocess.run(["notmuch", "search", "--output=files", word], capture_output=True,
                                            text=True, env=env)
                    copy = maildir / path.relative_to(mnt)
                    self.assertIn(str(copy), search.stdout.splitlines())


# Charsets: strings whose bytes are stored in another form than UTF-8 must come out right.
KNOWN_TEXT = [
    # (file, path in the mount, where, expected text)
    ("aquasync__ruby-msg__msgInMsg.pst", "2020-09-10 10.18 I have attachments!.eml", "filename",
     "Microsoft Outlook テスト メッセージ.eml"),
    ("aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst",
     "Deleted Items/2017-01-02 17.06 绩效考核与薪酬体系的激励与创新.eml", "subject", "绩效考核与薪酬体系的激励与创新"),
    ("aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst",
     "Deleted Items/2017-01-02 17.06 绩效考核与薪酬体系的激励与创新.eml", "filename", "企业绩效考核与薪酬体系设计实特训班.doc"),
    ("aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst",
     "Deleted Items/2017-01-04 06.04 采购成本为何居高不下呢？.eml", "body", "详*细*内*容"),
]


def codepage_codec(codepage):
    return {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 1200: "utf-16-le"}.get(codepage, f"cp{codepage}")


def record_entries(message):
    return {e.entry_type: e for e in message.get_record_set(0).entries} if message.number_of_record_sets else {}


class Charsets(unittest.TestCase):
    def test_known_strings(self):
        require_corpus(self)
        for name, relative, where, expected in KNOWN_TEXT:
            with self.subTest(file=name, where=where), mounted(CORPUS / name) as mnt:
                message = parse(mnt / relative)
                if where == "subject":
                    self.assertIn(expected, str(message["Subject"]))
                elif where == "filename":
                    names = [p.get_filename() for p in message.walk() if p.get_filename()]
                    self.assertIn(expected, names)
                else:
                    self.assertIn(expected, message.get_body(("plain", "html")).get_content())

    def test_8bit_subjects_use_the_message_code_page(self):
        """Every PT_STRING8 subject (ANSI files, and Unicode files with 8-bit values) decoded
        with the message's PR_INTERNET_CPID, else PR_MESSAGE_CODEPAGE, by Python's codecs,
        is the subject of the .eml, when ostfs wrote that field."""
        require_corpus(self)
        checked = 0
        for source in corpus_mailboxes():
            pff = pff_oracle.open_file(source)
            with mounted(source) as mnt:
                paths = item_paths(mnt)
                for message in all_messages(pff.get_root_folder()):
                    entries = record_entries(message)
                    subject = entries.get(PR_SUBJECT)
                    path = paths.get(message.identifier)
                    if subject is None or subject.value_type != PT_STRING8 or path is None or path.suffix != ".eml":
                        continue
                    if message.transport_headers and re.search(r"(?im)^subject:", message.transport_headers):
                        continue
                    codepage = next((entries[t].data_as_integer for t in (PR_INTERNET_CPID, PR_MESSAGE_CODEPAGE)
                                     if t in entries and entries[t].data_as_integer > 0), 1252)
                    raw = subject.data.rstrip(b"\0")
                    if raw[:1] == b"\x01":
                        raw = raw[2:]
                    expected = " ".join(raw.decode(codepage_codec(codepage), "replace").split())
                    with self.subTest(file=source.name, message=path.name):
                        self.assertEqual(str(parse(path)["Subject"] or ""), expected)
                        checked += 1
        self.assertGreater(checked, 100)


# (golden name, source file, path in the mount, kept as bytes or only as a digest)
GOLDEN_CASES = [
    ("inline-image", "aquasync__ruby-msg__attachAndInline.pst", None, "sha256"),
    ("embedded-four-levels", "aranetic__process-pst__four_nesting_levels.pst", None, "sha256"),
    ("two-hundred-recipients", "aquasync__ruby-msg__200_recipients.pst", None, "sha256"),
    # About 1 MB of OLE objects: kept as a digest only.
    ("rtf-only", SAMPLE.name, "Inbox/2011-09-20 10.29 RTF newsletter copy.eml", "sha256"),
    ("rtf-fromhtml", SAMPLE.name, "Inbox/2011-06-20 15.02 Bonusspelet.eml", "bytes"),
    ("rtf-fromtext", SAMPLE.name, "Inbox/2011-07-14 10.59 message 0.eml", "bytes"),
    ("meeting-request", SAMPLE.name, "Inbox/2011-09-19 21.12 05 - test email - single meeting request.eml",
     "bytes"),
    ("delivery-report", SAMPLE.name, "Inbox/2011-05-11 11.19 Undeliverable- 05 - test email - single meeting request.eml",
     "bytes"),
    ("cjk", "aspose-email__Aspose.Email-for-.NET__passwordprotectedPST.pst",
     "Deleted Items/2017-01-02 17.06 绩效考核与薪酬体系的激励与创新.eml", "bytes"),
]


class Goldens(unittest.TestCase):
    """Interesting messages byte for byte. None as path: the file's only .eml."""

    def read_digests(self):
        digests = {}
        path = GOLDEN / "sha256.tsv"
        if path.exists():
            for line in path.read_text().splitlines():
                if line and not line.startswith("#"):
                    name, digest = line.split("\t")
                    digests[name] = digest
        return digests

    def test_goldens(self):
        require_corpus(self)
        digests = self.read_digests()
        for name, source, relative, kind in GOLDEN_CASES:
            with self.subTest(golden=name), mounted(CORPUS / source) as mnt:
                if relative is None:
                    files = eml_files(mnt)
                    self.assertEqual(len(files), 1, files)
                    data = files[0].read_bytes()
                else:
                    data = (mnt / relative).read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                if REGENERATE:
                    GOLDEN.mkdir(parents=True, exist_ok=True)
                    if kind == "bytes":
                        (GOLDEN / f"{name}.eml").write_bytes(data)
                    digests[name] = digest
                    continue
                if kind == "bytes":
                    expected = (GOLDEN / f"{name}.eml").read_bytes()
                    self.assertEqual(data.decode("utf-8", "replace"), expected.decode("utf-8", "replace"))
                    self.assertEqual(data, expected)
                else:
                    self.assertEqual(digest, digests.get(name), f"{name}: the rendering changed")
        if REGENERATE:
            lines = ["# golden\tsha256 of the .eml (OSTFS_REGENERATE_GOLDEN=1 rewrites this file)"]
            lines += [f"{n}\t{d}" for n, d in sorted(digests.items())]
            (GOLDEN / "sha256.tsv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    unittest.main()
