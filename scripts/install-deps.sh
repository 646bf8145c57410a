#!/usr/bin/env bash
# Installs everything ostfs needs to build and test, from Debian 12's packages.
set -euo pipefail
packages=(
  cmake make g++ pkg-config                 # build
  libpff-dev libbfio-dev                    # reading PST/OST
  libfuse3-dev fuse3                        # the mount
  libgmime-3.0-dev                          # MIME for .eml
  libical-dev                               # iCalendar for .ics
  zlib1g-dev                                # compressing blocks (the OSTs ostfs-generate writes)
  libisal-dev                               # fast CRC-32 and inflate (ISA-L)
  libgoogle-perftools-dev                   # tcmalloc, the allocator of the ostfs process
  libgtest-dev                              # unit tests
  python3 python3-pypff pff-tools pst-utils # independent readers used as test oracles
  python3-icalendar python3-vobject         # independent parsers of .ics and .vcf
  khal python3-dateutil                     # a calendar client imports the .ics; readpst's RRULEs expanded
  python3-gi gir1.2-ical-3.0                # libical's parser and recurrence iterator, from Python
  notmuch openssl                           # a mail indexer and S/MIME verification in the mail tests
  rsync tar diffutils util-linux procps man-db # standard tools the tests drive
  nodejs                                    # runs pst-extractor, a third independent PST reader
  clang libclang-rt-14-dev                  # scripts/fuzz.sh: libFuzzer with ASan and UBSan
)
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
# npm comes with nodejs on some machines and as its own package on others.
if ! command -v npm >/dev/null 2>&1; then
  $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
