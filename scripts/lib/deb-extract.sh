# Sourced by the scripts that bring real data from Debian and npm packages (scripts/data/fetch-*.sh):
#   deb_extract <pkgs dir> <package> [version]
#   pkg_extract <pkgs dir> <package> [version]   (npm:<name> packages through npm_extract, others through deb_extract)
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

# npm_dir <pkgs dir> npm:<name>: <pkgs dir>/npm-<name>, a scope's slash made a dash (npm:@a/b: npm-@a-b)
npm_dir() {
  local name="${2#npm:}"
  echo "$1/npm-${name//\//-}"
}

# npm_extract <pkgs dir> npm:<name> <version>: `npm pack` of that exact version (the registry's tarball, no install
# and no install scripts) unpacked into <pkgs dir>/npm-<name>/x, so a file the tarball holds as package/a/b is
# <pkgs dir>/npm-<name>/x/package/a/b. Exits the calling script with one line when npm or the package is missing.
npm_extract() {
  local name="${2#npm:}" root
  root=$(npm_dir "$1" "$2")
  if [ ! -f "$root/.done" ]; then
    command -v npm >/dev/null 2>&1 || { echo "$(basename "$0" .sh): npm is missing for $2 (scripts/install-deps.sh installs it)"; exit 1; }
    rm -rf "$root" && mkdir -p "$root/x"
    (cd "$root" && npm pack "$name@$3" --silent >/dev/null 2>&1) || { echo "$(basename "$0" .sh): cannot fetch npm package $name@$3"; exit 1; }
    tar -xzf "$root"/*.tgz -C "$root/x" && rm -f "$root"/*.tgz && touch "$root/.done"
  fi
}

# pkg_extract <pkgs dir> <package> [version]: where the package's files are unpacked, <pkgs dir>/<package>/x for
# Debian and <pkgs dir>/npm-<name>/x for npm:<name> (printed on stdout).
pkg_extract() {
  if [[ "$2" == npm:* ]]; then
    npm_extract "$@"
    echo "$(npm_dir "$1" "$2")/x"
  else
    deb_extract "$@"
    echo "$1/$2/x"
  fi
}
