"""Characters outside the BMP survive mount and export (libpff's own UTF-8 conversion mangles
them: U+1F680 comes out as U+1F281)."""
import email
import email.policy
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from support import OSTFS, REPO, mounted, run

GENERATE = Path(os.environ.get("OSTFS_GENERATE", REPO / "build" / "bench" / "ostfs-generate"))
ROCKET = "\U0001F680"
MANGLED = "\U0001F281"


class NonBmpText(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ostfs-unicode-"))
        cls.pst = cls.tmp / "rocket.pst"
        result = run([GENERATE, "--unicode", "--messages", "12", "--folders", "3", "--attachment-every", "4",
                      "--attachment-size", "3000", "--template", REPO / "tests" / "data" / "SampleOstFile.ost",
                      cls.pst])
        if result.returncode != 0:
            raise AssertionError(result.stderr)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["rm", "-rf", str(cls.tmp)])

    def check_tree(self, mnt):
        folders = sorted(d for d in os.listdir(mnt) if d.startswith("Folder"))
        self.assertEqual(folders, [f"Folder {ROCKET} 1", f"Folder {ROCKET} 2", f"Folder {ROCKET} 3"])
        files = sorted((mnt / folders[1]).iterdir())
        self.assertEqual(len(files), 6)
        for path in files:
            self.assertIn(f"{ROCKET} Launch", path.name)
            self.assertNotIn(MANGLED, path.name)
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            self.assertIn(f"{ROCKET} Launch", message["Subject"])
            self.assertIn(f"rocket {ROCKET} and text", message.get_body(("plain",)).get_content())
            for part in message.iter_attachments():
                self.assertIn(f"résumé {ROCKET} ", part.get_filename())
        grep = run(["grep", "-rl", f"rocket {ROCKET} and text 2.", mnt])
        self.assertEqual(grep.returncode, 0, grep.stderr)
        self.assertEqual(len(grep.stdout.splitlines()), 1)

    def test_mount_shows_non_bmp_names_subjects_bodies_and_attachment_names(self):
        with mounted(self.pst) as mnt:
            self.check_tree(mnt)

    def test_info_prints_non_bmp_folder_names(self):
        result = run([OSTFS, "info", self.pst])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"Folder {ROCKET} 2: 6 items", result.stdout)

    def test_export_keeps_non_bmp_text(self):
        out = self.tmp / "exported.pst"
        result = run([OSTFS, "export", "--force", self.pst, out])
        self.assertEqual(result.returncode, 0, result.stderr)
        with mounted(out) as mnt:
            self.check_tree(mnt)


if __name__ == "__main__":
    unittest.main()
