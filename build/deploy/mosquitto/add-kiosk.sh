#!/usr/bin/env bash
# Adds (or changes) one kiosk's broker account: user name "<hallId>/<kioskId>", a random password printed once.
#   build/deploy/mosquitto/add-kiosk.sh /etc/mosquitto/hall-kiosk/passwd conghua-center kiosk-01
# Put the password into the kiosk's fleet.passwordFile (mode 0600). Reload the broker: kill -HUP $(pidof mosquitto)
set -euo pipefail
file="${1:?usage: add-kiosk.sh <passwd-file> <hallId> <kioskId>}"; hall="${2:?hallId}"; kiosk="${3:?kioskId}"
[[ "$hall$kiosk" =~ ^[a-z0-9-]+$ ]] || { echo "hallId and kioskId are lowercase letters, digits and dashes" >&2; exit 2; }
pw="$(openssl rand -base64 24)"
[ -f "$file" ] || { install -m 600 /dev/null "$file"; }
mosquitto_passwd -b "$file" "${hall}/${kiosk}" "$pw"
echo "$pw"
