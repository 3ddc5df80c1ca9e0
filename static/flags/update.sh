#!/usr/bin/env bash
# Refresh the country flags from the flag-icons package (MIT licence, see LICENSE beside this file):
# the 4:3 SVG of every two-letter ISO 3166-1 code, named as the code in lower case (es.svg).
# Run by hand when the package has a new release; the site ships the copied files, nothing is fetched at run time.
set -euo pipefail
VERSION="${1:-7.5.0}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "flag-icons@$VERSION" --silent >/dev/null && tar xzf "flag-icons-$VERSION.tgz")
rm -f "$here"/??.svg
cp "$tmp"/package/flags/4x3/??.svg "$here"/
cp "$tmp"/package/LICENSE "$here"/LICENSE
echo "$VERSION" > "$here"/VERSION
ls "$here"/??.svg | wc -l
