"""Damaged copies of a file, reproducible from (seed, file name, kind, index) alone.

Kinds:
  truncate   cut the file at a random offset past the 512-byte header
  flip       XOR 1 to 16 random bytes anywhere in the file with random non-zero values
  zero512    zero one random 512-byte-aligned page (the ANSI/Unicode PST page size)
  zero4k     zero one random 4 KiB-aligned page (the OST 2013 page size; many blocks at once)
"""
import random

KINDS = ('truncate', 'flip', 'zero512', 'zero4k')


def case_id(name, kind, index):
    return '%s:%s:%d' % (name, kind, index)


def mutate(data, name, kind, index, seed):
    """Returns (damaged bytes, a one-line description of what was changed)."""
    # Seeded from the case alone, so one case reproduces without running the others.
    rng = random.Random('%d:%s' % (seed, case_id(name, kind, index)))
    size = len(data)
    out = bytearray(data)
    if kind == 'truncate':
        cut = rng.randrange(512, size)
        return bytes(out[:cut]), 'truncated to %d of %d bytes' % (cut, size)
    if kind == 'flip':
        changes = []
        for _ in range(rng.randint(1, 16)):
            at = rng.randrange(size)
            mask = rng.randint(1, 255)
            out[at] ^= mask
            changes.append('%d^0x%02x' % (at, mask))
        return bytes(out), 'flipped ' + ','.join(changes)
    if kind in ('zero512', 'zero4k'):
        page = 512 if kind == 'zero512' else 4096
        start = rng.randrange(size // page) * page
        out[start:start + page] = bytes(len(out[start:start + page]))
        return bytes(out), 'zeroed %d bytes at %d' % (page, start)
    raise ValueError('unknown mutation kind %r' % kind)
