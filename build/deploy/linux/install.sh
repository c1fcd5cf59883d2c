#!/usr/bin/env bash
# Turns a Debian 12 machine with hall-kiosk unpacked (a release or checkout with dist/ and node_modules/) into a
# locked kiosk. Idempotent: run it again after an update; files whose content did not change are left alone.
#
#   sudo bash build/deploy/linux/install.sh [options]
#     --app-dir DIR     the hall-kiosk tree to run (default: the tree this script is in)
#     --data-dir DIR    database, logs, secrets, provisioned hall.json (default /var/lib/hall-kiosk)
#     --port N          browser host port on 127.0.0.1 (default 8787); the Chromium policy allows only this origin
#     --nightly HH:MM   nightly restart time (default 03:30)
#     --node PATH       the Node.js 20+ binary (default: `command -v node`)
#     --provisioned DIR this kiosk's provisioned data (fleet/<kiosk_id>/data from provision-fleet.mjs), copied into
#                       the data dir when it has no hall.json yet (never over an existing installation)
#     --root DIR        write into an image or test directory instead of / (no users, packages or systemctl)
#     --skip-packages   do not apt-get install the runtime packages
#
# What it does (see build/deploy/README.md): runtime packages (cage, chromium, cups, fonts, ...); the system user
# `hallkiosk` in the device groups (dialout, lp, plugdev, video, render, input, audio) — the kiosk never runs as root;
# the data dir (0700, owned by hallkiosk); systemd units (the kiosk session on cage on tty1, a health-check timer that
# restarts a dead kiosk, a nightly restart timer); PAM for the session; udev rules for readers, scanners and printers;
# the managed Chromium policy; no SysRq; no spare VTs; journald and logrotate limits.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
APP_DIR="$(cd "$here/../../.." && pwd)"
DATA_DIR=/var/lib/hall-kiosk
PORT=8787
NIGHTLY=03:30
NODE="$(command -v node || true)"
ROOT=/
SKIP_PACKAGES=0
PROVISIONED=
KIOSK_USER=hallkiosk

while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) APP_DIR="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --nightly) NIGHTLY="$2"; shift 2 ;;
    --node) NODE="$2"; shift 2 ;;
    --root) ROOT="$2"; shift 2 ;;
    --skip-packages) SKIP_PACKAGES=1; shift ;;
    --provisioned) PROVISIONED="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "install.sh: $*" >&2; exit 1; }
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "--port must be 1..65535, got $PORT"
[[ "$NIGHTLY" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] || die "--nightly must be HH:MM, got $NIGHTLY"
[ -n "$NODE" ] && [ -x "$NODE" ] || die "no Node.js found; install Node 20+ or pass --node PATH"
[ -f "$APP_DIR/dist/main/start.js" ] || die "$APP_DIR/dist/main/start.js is missing: build first (npm run build) or pass --app-dir"
REAL_ROOT=0
if [ "$ROOT" = "/" ]; then
  REAL_ROOT=1
  [ "$(id -u)" -eq 0 ] || die "run as root: sudo bash $0 $*"
fi
R="${ROOT%/}"

changed=0
# install_file MODE SRC DEST: render @...@ placeholders; write only when the content differs.
install_file() {
  local mode="$1" src="$2" dest="$R$3" tmp
  tmp="$(mktemp)"
  sed -e "s#@APP_DIR@#$APP_DIR#g" -e "s#@DATA_DIR@#$DATA_DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@NIGHTLY@#$NIGHTLY:00#g" \
      -e "s#@NODE@#$NODE#g" -e "s#@KIOSK_ORIGIN@#http://127.0.0.1:$PORT#g" "$src" > "$tmp"
  if grep -q '@[A-Z_]*@' "$tmp"; then rm -f "$tmp"; die "unreplaced placeholder in $src"; fi
  mkdir -p "$(dirname "$dest")"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    echo "  unchanged $3"
  else
    install -m "$mode" "$tmp" "$dest"
    rm -f "$tmp"
    echo "  written   $3"
    changed=1
  fi
}

echo "== packages"
if [ "$REAL_ROOT" -eq 1 ] && [ "$SKIP_PACKAGES" -eq 0 ]; then
  # cups-ipp-utils: ipptool, which the A4 driver (drivers/a4/cups.ts) uses to follow a job's state.
  PKGS=(cage chromium cups cups-client cups-bsd cups-ipp-utils printer-driver-cups-pdf fonts-noto-cjk espeak-ng sox poppler-utils logrotate)
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "  all present"
  fi
else
  echo "  skipped"
fi

echo "== user $KIOSK_USER"
if [ "$REAL_ROOT" -eq 1 ]; then
  if ! id -u "$KIOSK_USER" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "/var/lib/$KIOSK_USER" --shell /usr/sbin/nologin "$KIOSK_USER"
    echo "  created"
  fi
  for g in dialout lp plugdev video render input audio; do
    getent group "$g" >/dev/null || groupadd --system "$g"
    id -nG "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$g" || { usermod -aG "$g" "$KIOSK_USER"; echo "  added to $g"; }
  done
  [ "$(id -u "$KIOSK_USER")" -ne 0 ] || die "$KIOSK_USER has uid 0"
else
  echo "  skipped (--root $ROOT): create it on the target with this script"
fi

echo "== data dir $DATA_DIR"
mkdir -p "$R$DATA_DIR"
if [ -n "$PROVISIONED" ]; then
  [ -f "$PROVISIONED/hall.json" ] || die "--provisioned $PROVISIONED has no hall.json"
  if [ -f "$R$DATA_DIR/hall.json" ]; then
    echo "  $DATA_DIR/hall.json exists: provisioned data NOT copied (re-provision with diag provision --force on purpose)"
  else
    cp -a "$PROVISIONED/." "$R$DATA_DIR/"
    echo "  copied the provisioned hall.json, kiosk.db and installation.key"
  fi
fi
chmod 0700 "$R$DATA_DIR"
if [ "$REAL_ROOT" -eq 1 ]; then chown -R "$KIOSK_USER:$KIOSK_USER" "$R$DATA_DIR"; fi
[ -f "$R$DATA_DIR/hall.json" ] || echo "  note: no $DATA_DIR/hall.json yet: the kiosk starts in provisioning mode until one is copied in (build/deploy/provision-fleet.mjs)"

echo "== files"
install_file 0644 "$here/systemd/hall-kiosk.service" /etc/systemd/system/hall-kiosk.service
install_file 0644 "$here/systemd/hall-kiosk-health.service" /etc/systemd/system/hall-kiosk-health.service
install_file 0644 "$here/systemd/hall-kiosk-health.timer" /etc/systemd/system/hall-kiosk-health.timer
install_file 0644 "$here/systemd/hall-kiosk-nightly.service" /etc/systemd/system/hall-kiosk-nightly.service
install_file 0644 "$here/systemd/hall-kiosk-nightly.timer" /etc/systemd/system/hall-kiosk-nightly.timer
install_file 0644 "$here/systemd/journald-hall-kiosk.conf" /etc/systemd/journald.conf.d/hall-kiosk.conf
install_file 0644 "$here/systemd/logind-hall-kiosk.conf" /etc/systemd/logind.conf.d/hall-kiosk.conf
install_file 0644 "$here/pam-hall-kiosk" /etc/pam.d/hall-kiosk
install_file 0644 "$here/60-hall-kiosk.rules" /etc/udev/rules.d/60-hall-kiosk.rules
install_file 0644 "$here/sysctl-hall-kiosk.conf" /etc/sysctl.d/60-hall-kiosk.conf
install_file 0644 "$here/logrotate-hall-kiosk" /etc/logrotate.d/hall-kiosk
install_file 0644 "$here/chromium-policy.json.in" /etc/chromium/policies/managed/hall-kiosk.json

echo "== checks"
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify exits 0 even on unknown keys or bad values (it only warns): any message counts as a failure here.
  # ExecStart binaries are resolved on this machine, so in an image (--root) a message is reported, not fatal.
  report="$(cd "$R/etc/systemd/system" && systemd-analyze verify --man=no hall-kiosk.service hall-kiosk-health.service hall-kiosk-health.timer hall-kiosk-nightly.service hall-kiosk-nightly.timer 2>&1 || echo "systemd-analyze exited $?")"
  if [ -z "$report" ]; then echo "  systemd-analyze verify: no messages"
  else
    echo "$report" | sed 's/^/  /'
    [ "$REAL_ROOT" -eq 0 ] || die "systemd-analyze verify reported the messages above"
  fi
else
  echo "  systemd-analyze not available: units not verified"
fi
"$NODE" -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$R/etc/chromium/policies/managed/hall-kiosk.json" && echo "  chromium policy: valid JSON"

echo "== activation"
if [ "$REAL_ROOT" -eq 1 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl disable --now getty@tty1.service 2>/dev/null || true  # tty1 belongs to the kiosk session now
  systemctl enable hall-kiosk.service hall-kiosk-health.timer hall-kiosk-nightly.timer
  systemctl set-default graphical.target
  if command -v udevadm >/dev/null 2>&1; then udevadm control --reload && udevadm trigger --subsystem-match=tty --subsystem-match=hidraw --subsystem-match=usbmisc; fi
  sysctl -q --system
  systemctl restart systemd-journald
  if [ "$changed" -eq 1 ]; then systemctl restart hall-kiosk.service; echo "  kiosk (re)started"; else systemctl start hall-kiosk.service; fi
  echo "  enabled: hall-kiosk.service, hall-kiosk-health.timer, hall-kiosk-nightly.timer (logind changes apply after a reboot)"
else
  echo "  systemd is not running here (container or --root): enable on the target with"
  echo "    systemctl daemon-reload && systemctl enable --now hall-kiosk.service hall-kiosk-health.timer hall-kiosk-nightly.timer"
fi
echo "install.sh: done"
