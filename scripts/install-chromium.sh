#!/usr/bin/env bash
# install-chromium.sh - install what scripts/check-report-render.sh needs: Debian's
# headless-capable Chromium and one basic font family.
#
# Installs, with apt-get and without recommended packages:
#   chromium            the browser (runs headless with --headless; /usr/bin/chromium)
#   fonts-dejavu-core   DejaVu Sans/Serif/Mono, so text renders the same everywhere
#
# Idempotent: does nothing when both are already installed. Runs `apt-get update`
# only when the package lists are missing, or when an install from the present lists
# fails (stale lists). Quiet: prints one line on success; apt's output is shown only
# when something fails. Needs root (as in CI) or passwordless sudo. Debian/Ubuntu only.
#
# Takes about 20 s on a fresh Debian 12 machine with the lists already updated.
#
# Exit status: 0 installed (or already there), 1 failure.

set -euo pipefail

PROG=${0##*/}
PACKAGES=(chromium fonts-dejavu-core)

usage() {
    cat <<EOF
Usage: $PROG [-h]

Install ${PACKAGES[*]} with apt-get (no recommends), for
scripts/check-report-render.sh. Does nothing if they are already installed.
EOF
}

case ${1:-} in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "$PROG: unexpected argument: $1" >&2; usage >&2; exit 1 ;;
esac

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "$PROG: already installed: ${PACKAGES[*]} ($(chromium --version 2>/dev/null || echo 'chromium --version failed'))"
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || { echo "$PROG: apt-get not found; install ${missing[*]} by hand" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "$PROG: must run as root (or with passwordless sudo) to install ${missing[*]}" >&2
        exit 1
    fi
fi

log=$(mktemp "${TMPDIR:-/tmp}/install-chromium.XXXXXX")
trap 'rm -f -- "$log"' EXIT

apt() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
        -o Dpkg::Use-Pty=0 "$@" >>"$log" 2>&1
}

update() {
    apt update || { cat "$log" >&2; echo "$PROG: apt-get update failed" >&2; exit 1; }
}

install() {
    apt install --no-install-recommends "${missing[@]}"
}

# No package lists at all (a fresh container): update before the first try.
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    update
    updated=1
else
    updated=0
fi

if ! install; then
    if [ "$updated" -eq 1 ]; then
        cat "$log" >&2
        echo "$PROG: apt-get install ${missing[*]} failed" >&2
        exit 1
    fi
    # Stale lists (e.g. a security update removed the listed version): update once, retry.
    update
    if ! install; then
        cat "$log" >&2
        echo "$PROG: apt-get install ${missing[*]} failed" >&2
        exit 1
    fi
fi

echo "$PROG: installed ${missing[*]} ($(chromium --version 2>/dev/null || echo 'chromium --version failed'))"
