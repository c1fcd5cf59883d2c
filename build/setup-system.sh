#!/usr/bin/env bash
# The Debian packages hall-kiosk needs on a kiosk or build machine (run as root; CI runs it too).
#   chromium                 the browser host's kiosk window and the end-to-end tests (no browser download)
#   socat                    pseudo-terminal pairs: serial drivers are tested over real serialport bindings
#   xvfb imagemagick         a real kiosk window on a machine without a screen, and screenshots of it
#   cups cups-client cups-bsd cups-ipp-utils printer-driver-cups-pdf
#                            A4 printing through the spooler; cups-pdf stands in for a printer; ipptool reads job states
#   fonts-noto-cjk           Chinese in the UI, in PDFs and screenshots
#   espeak-ng sox            offline Mandarin/English voice clips for queue calls
#   unifont                  the bitmap font the virtual receipt printer renders with
#   poppler-utils            pdfinfo/pdftotext/pdftoppm: PDF checks and page previews
#   python3 make g++         node-gyp builds better-sqlite3 from source (no prebuilt download here)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  chromium socat xvfb imagemagick \
  cups cups-client cups-bsd cups-ipp-utils printer-driver-cups-pdf \
  fonts-noto-cjk espeak-ng sox unifont poppler-utils \
  python3 make g++
# CUPS has no systemd here: start the scheduler and make sure the cups-pdf queue `PDF` exists.
bash "$(dirname "$0")/../drivers/a4/cups-setup.sh"
