#!/usr/bin/env bash
# Idempotent: fetches the teacher detector (CenterNet, MobileNetV3, COCO; a TF.js graph model) from the
# npm package @vladmandic/human@3.3.6 into DEST/centernet/ (default DEST: models/teacher, git-ignored):
#   centernet.json  graph + weights manifest    centernet.bin  float16-quantized weights
#   LICENSE         the package's MIT licence
# Both model files are checked against scripts/teacher/centernet.sha256 (sha256sum -c format).
# Needs npm (Debian nodejs/npm; scripts/install-deps.sh installs them). Quiet when already present.
# Usage: scripts/teacher/fetch-model.sh [DEST]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PKG=@vladmandic/human@3.3.6
SUMS=$HERE/centernet.sha256
DEST=${1:-$ROOT/models/teacher}
OUT=$DEST/centernet

fail() { echo "fetch-model: $*" >&2; exit 1; }

present() { # dir: the three files exist and both hashes match
  [ -f "$1/LICENSE" ] && [ -f "$1/centernet.json" ] && [ -f "$1/centernet.bin" ] \
    && (cd "$1" && sha256sum --status -c "$SUMS") 2>/dev/null
}

present "$OUT" && exit 0
command -v npm >/dev/null 2>&1 || fail "npm not found: install Debian nodejs/npm (apt-get install nodejs npm, or run scripts/install-deps.sh)"

mkdir -p "$DEST"
TMP=$(mktemp -d "$DEST/.fetch.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack "$PKG" --silent >/dev/null 2>"$TMP/npm.err") \
  || fail "npm pack $PKG failed: $(tail -n 1 "$TMP/npm.err")"
TGZ=$(ls "$TMP"/*.tgz 2>/dev/null | head -n 1)
[ -n "$TGZ" ] || fail "npm pack $PKG wrote no tarball"
tar --no-same-owner -xzf "$TGZ" -C "$TMP" package/models/centernet.json package/models/centernet.bin package/LICENSE \
  || fail "$PKG does not contain models/centernet.{json,bin} and LICENSE"
mkdir "$TMP/centernet"
mv "$TMP/package/models/centernet.json" "$TMP/package/models/centernet.bin" "$TMP/centernet/"
mv "$TMP/package/LICENSE" "$TMP/centernet/LICENSE"
while read -r sum file; do
  got=$(sha256sum "$TMP/centernet/$file" | cut -d' ' -f1)
  [ "$got" = "$sum" ] || fail "SHA-256 mismatch for $file from $PKG: got $got, pinned $sum ($SUMS); nothing installed"
done < "$SUMS"
# swap in only a verified copy: a failed run leaves no partial files behind
rm -rf "$OUT"
mv "$TMP/centernet" "$OUT"
echo "fetch-model: $PKG centernet model in $OUT"
