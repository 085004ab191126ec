#!/bin/sh
# Pandoc's own citation tests, for test_pandoc_citations.py, from Debian's packages (no root):
# the pandoc source package (its test/ folder, checked against the sha256 its .dsc gives) and,
# to read them, the pandoc binary of the same version with the Lua library and data files it
# needs. Only OUT stays: Pandoc's reading of every input. The 170 MB binary is deleted.
#   usage: fetch_pandoc_tests.sh OUT.json PYTHON
set -eu
out=$(realpath -m "$1")
python=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
uri=$(apt-get download --print-uris pandoc | cut -d"'" -f2)
apt-get download -q pandoc pandoc-data liblua5.3-0 >/dev/null 2>&1
# From the Debian archive apt itself uses; a stalled mirror fails the fetch (60 s without data)
# rather than hanging set-up, and the tests that need the file are then skipped.
fetch() {
  "$python" -c 'import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as r, open(sys.argv[2], "wb") as f:
    shutil.copyfileobj(r, f)' "$1" "$2"
}
fetch "${uri%_*}.dsc" pandoc.dsc
orig=$(awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 ~ /\.orig\.tar\./ {print $3}' pandoc.dsc)
sum=$(awk '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 ~ /\.orig\.tar\./ {print $1}' pandoc.dsc)
fetch "${uri%/*}/$orig" "$orig"
echo "$sum  $orig" | sha256sum -c --quiet
mkdir tree
tar -xf "$orig" -C tree --strip-components=1 --wildcards '*/test/markdown-citations.txt' '*/test/command/*.md'
for deb in *.deb; do dpkg-deb --fsys-tarfile "$deb" | tar -x; done
lib=$(dirname "$(ls usr/lib/*/liblua5.3.so.0)")
"$python" "$here/pandoc_corpus.py" tree usr/bin/pandoc usr/share/pandoc/data "$lib" "$out.part"
mv "$out.part" "$out"
