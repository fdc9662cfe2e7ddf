# Sourced by the scripts that bring real data from Debian packages (scripts/data/fetch-*.sh):
#   deb_extract <pkgs dir> <package> [version]
# downloads the package's .deb (apt-get download, no install; after an apt-get update when the lists are
# stale) and unpacks it into <pkgs dir>/<package>/x, once: a finished package is marked with .done.
# Exits the calling script with one line when the package cannot be downloaded.
deb_extract() {
  local root="$1/$2" want="$2${3:+=$3}"
  if [ ! -f "$root/.done" ]; then
    rm -rf "$root" && mkdir -p "$root"
    (cd "$root" && apt-get download -q "$want" >/dev/null 2>&1) || { apt-get update -qq >/dev/null && (cd "$root" && apt-get download -q "$want" >/dev/null); } \
      || { echo "$(basename "$0" .sh): cannot download Debian package $2${3:+ $3}"; exit 1; }
    dpkg -x "$root"/*.deb "$root/x" && rm -f "$root"/*.deb && touch "$root/.done"
  fi
}
