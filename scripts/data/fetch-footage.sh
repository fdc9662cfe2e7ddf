#!/usr/bin/env bash
# Idempotent: brings the real footage that model-tools/detector/training-sources.csv (or $MANIFEST) lists from Debian
# packages, without installing them (apt-get download + dpkg -x: only the files, none of their
# dependencies), and from npm packages (package npm:<name>, files as the tarball holds them, package/...;
# `npm pack`, no install) into data/footage/pkgs/ (git-ignored), and decodes every source into
#   data/detector/<clip>/native/NNNN.png  the camera's own size and colour
# The teacher reads these; the student's tools convert them to its 320x240 grey input with the Flink frame
# operator's own code (dev.winnow.runtime.image.FrameResize), so nothing here resizes.
# `fetch-footage.sh --path <source>` only prints where one source's file is (scripts/run-demo.sh records them).
# Frame numbers are 0-based indices into the clip; several sources may be ranges of one clip (vtest's
# train, validation and held-out stretches), decoded into the same directory. Frames all/N: every Nth frame
# of the clip (from its first), numbered 0, 1, 2... (talking-head clips change little from frame to frame).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/deb-extract.sh
MANIFEST=${MANIFEST:-model-tools/detector/training-sources.csv}
PKGS=data/footage/pkgs
OUT=data/detector
mkdir -p "$PKGS"
command -v ffmpeg >/dev/null || { echo "fetch-footage: ffmpeg is missing (scripts/install-deps.sh installs it)"; exit 1; }

# where a listed file is: installed on this machine, or extracted from the package's .deb here
locate() { # package version file
  if [ -f "$3" ]; then echo "$3"; return; fi
  local x
  x=$(pkg_extract "$PKGS" "$1" "$2") || { echo "$x" >&2; exit 1; }
  [ -f "$x$3" ] || { echo "fetch-footage: $1 has no $3" >&2; exit 1; }
  echo "$x$3"
}

# --path <source>: print only where that source's file is (installed, else extracted from its .deb here)
if [ "${1:-}" = --path ]; then
  row=$(awk -F, -v s="${2:?--path needs a source of $MANIFEST}" '$1 == s' "$MANIFEST")
  [ -n "$row" ] || { echo "fetch-footage: no source $2 in $MANIFEST" >&2; exit 1; }
  IFS=, read -r _ _ package version file _ <<<"$row"
  locate "$package" "$version" "$file"
  exit
fi

# the photos a pattern names: ';'-separated paths, each may hold a '*'; read where installed, else from the .deb
photos() { # package version pattern
  local p x list=""
  for p in ${3//;/ }; do
    list+=" $(ls $p 2>/dev/null || true)"
  done
  if [ -z "${list// /}" ]; then
    x=$(pkg_extract "$PKGS" "$1" "$2") || { echo "$x" >&2; exit 1; }
    for p in ${3//;/ }; do list+=" $(ls "$x"$p 2>/dev/null || true)"; done
  fi
  echo $list
}

printf '%-14s %-22s %7s %-11s %s\n' source package frames size role
# a file pattern ('*' or a ';' list) is a set of photos: each one frame of the clip, in name order
stills() { # source dir files...
  local source=$1 dir=$2 i vf; shift 2
  i=$(ls "$dir/native" 2>/dev/null | wc -l)
  for f in $(printf '%s\n' "$@" | sort); do
    # a picture with an alpha channel or a palette (a stamp cut out of its photo) is laid on black: what its
    # transparent pixels hold is leftover paint of the cut-out photo, not a background (opaque pixels keep their
    # values); pictures without either are decoded as they are
    vf=format=rgb24
    case $(ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of csv=p=0 "$f" </dev/null) in
      rgba | bgra | argb | abgr | ya8 | rgba64* | ya16* | pal8) vf=format=rgba,premultiply=inplace=1,format=rgb24 ;;
    esac
    ffmpeg -nostdin -loglevel error -y -i "$f" -vf "$vf" "$dir/native/$(printf %04d $i).png" </dev/null && i=$((i + 1)) || true
  done
  [ "$i" -gt 0 ] || { echo "fetch-footage: no picture decoded for $source"; exit 1; }
  echo $# >"$dir/.done-$source"
}

tail -n +2 "$MANIFEST" | while IFS=, read -r source clip package version file frames role people; do
  if [[ "$file" == *"*"* || "$file" == *";"* ]]; then
    dir="$OUT/$clip"
    if [ ! -f "$dir/.done-$source" ]; then
      files=$(photos "$package" "$version" "$file")
      [ -n "$files" ] || { echo "fetch-footage: package $package has no $file"; exit 1; }
      mkdir -p "$dir/native" && stills "$source" "$dir" $files
    fi
    printf '%-14s %-22s %7d %-11s %s\n' "$source" "$package" "$(cat "$dir/.done-$source")" photos "$role"
    continue
  fi
  src=$(locate "$package" "$version" "$file")
  ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$src" >/dev/null \
    || { echo "fetch-footage: ffprobe cannot read $src ($source)"; exit 1; }
  dir="$OUT/$clip"
  if [ ! -f "$dir/.done-$source" ]; then
    mkdir -p "$dir/native"
    select="" start=0
    if [[ "$frames" == all/* ]]; then select="select=not(mod(n\\,${frames#all/})),"
    elif [ "$frames" != all ]; then select="select=between(n\\,${frames%-*}\\,${frames#*-}),"; start=${frames%-*}; fi
    # the broken tails of some clips (tree.avi) decode partly: keep what decodes
    ffmpeg -nostdin -loglevel error -err_detect ignore_err -i "$src" -vsync passthrough ${select:+-vf "${select%,}"} \
      -start_number "$start" "$dir/native/%04d.png" 2>/dev/null || true
    [ -n "$(ls "$dir/native")" ] || { echo "fetch-footage: no frame decoded from $src ($source)"; exit 1; }
    touch "$dir/.done-$source"
  fi
  n=$(if [[ "$frames" == all* ]]; then ls "$dir/native" | wc -l; else echo $(( ${frames#*-} - ${frames%-*} + 1 )); fi)
  printf '%-14s %-22s %7d %-11s %s\n' "$source" "$package" "$n" \
    "$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$src" | head -1 | sed "s/x$//")" "$role"
done
