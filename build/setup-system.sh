#!/usr/bin/env bash
# The Debian packages hall-kiosk needs on a kiosk or build machine (run as root or with sudo; CI runs it too).
# The list, with why each package is there, is build/system-packages.txt (build/ensure-setup.mjs reads it too).
#
#   bash build/setup-system.sh           install what is missing (apt-get only when a package is missing), start
#                                         CUPS with its `PDF` queue, create the unprivileged kiosk browser user
#   bash build/setup-system.sh --check   exit 0 when every package is installed, else 1 and name the missing ones
#
# Idempotent: when everything is installed it runs no apt-get at all (well under a second).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
here="$(cd "$(dirname "$0")" && pwd)"

mapfile -t PACKAGES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/system-packages.txt" | grep -v '^$')

missing_packages() {
  # dpkg-query prints one status line per known package; an unknown package goes to stderr and is missing.
  local installed
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '$2 == "installed" {print $1}' || true)"
  local p
  for p in "${PACKAGES[@]}"; do
    grep -qxF "$p" <<<"$installed" || echo "$p"
  done
}

mapfile -t MISSING < <(missing_packages)
if [ "${1:-}" = "--check" ]; then
  if [ "${#MISSING[@]}" -eq 0 ]; then exit 0; fi
  echo "missing Debian packages: ${MISSING[*]}"
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "${#MISSING[@]}" -gt 0 ]; then
  echo "setup-system: installing ${MISSING[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}"
else
  echo "setup-system: all ${#PACKAGES[@]} Debian packages present"
fi

# The browser host never runs its kiosk Chromium as root: when the host itself runs as root (CI, a first manual
# try), it starts Chromium as this system user (see main/cli/chromium.ts). The deployment kit creates it too.
if ! id -u hallkiosk >/dev/null 2>&1; then
  $SUDO useradd --system --create-home --home-dir /var/lib/hallkiosk --shell /usr/sbin/nologin hallkiosk
  echo "setup-system: created the system user hallkiosk"
fi

# CUPS has no systemd here: start the scheduler and make sure the cups-pdf queue `PDF` exists.
$SUDO bash "$here/../drivers/a4/cups-setup.sh"
