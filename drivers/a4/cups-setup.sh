#!/bin/sh
# Idempotent CUPS set-up for the A4 printer tests and for CI (no systemd here):
#   1. start cupsd if `lpstat -r` says the scheduler is not running, wait until it is (up to 15 s);
#   2. make sure the cups-pdf queue (default name PDF, override with $1 or CUPS_PDF_QUEUE) exists,
#      is enabled and accepts jobs. The PPD is the one `lpinfo -m` offers for cups-pdf;
#   3. render PDF jobs for it with pdftocairo so that the output PDF keeps its text (see below).
# Needs root (cupsd, lpadmin). Exits non-zero with one sentence on stderr when something cannot be done.
set -eu

QUEUE="${1:-${CUPS_PDF_QUEUE:-PDF}}"

scheduler_running() {
  lpstat -r 2>/dev/null | grep -q 'scheduler is running'
}

if ! scheduler_running; then
  if ! command -v cupsd >/dev/null 2>&1; then
    echo "cups-setup: cupsd not installed (apt-get install cups printer-driver-cups-pdf)" >&2
    exit 1
  fi
  # cupsd forks into the background by default; its own pid file guards against a second instance.
  cupsd
  i=0
  until scheduler_running; do
    i=$((i + 1))
    if [ "$i" -gt 75 ]; then
      echo "cups-setup: cupsd started but the scheduler did not come up within 15 s" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "cups-setup: cupsd started"
fi

if ! lpstat -v "$QUEUE" >/dev/null 2>&1; then
  PPD="$(lpinfo -m 2>/dev/null | awk '/cups-pdf\/CUPS-PDF_opt\.ppd/ {print $1; exit}')"
  if [ -z "$PPD" ]; then
    PPD="$(lpinfo -m 2>/dev/null | awk 'tolower($0) ~ /cups-pdf/ {print $1; exit}')"
  fi
  if [ -z "$PPD" ]; then
    echo "cups-setup: no cups-pdf PPD offered by lpinfo -m (apt-get install printer-driver-cups-pdf)" >&2
    exit 1
  fi
  lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m "$PPD"
  echo "cups-setup: queue $QUEUE created with $PPD"
fi

# PDF -> PostScript for cups-pdf with pdftocairo: the default renderer (ghostscript) turns the embedded CJK font into
# Type 3 glyphs without a Unicode map, so the archived PDF would look right but its Chinese text could not be
# searched or checked (pdftotext returns symbols). Per queue, idempotent; real printers' queues are not touched.
lpadmin -p "$QUEUE" -o pdftops-renderer-default=pdftocairo

# Enabling and accepting are idempotent.
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
lpstat -p "$QUEUE"
