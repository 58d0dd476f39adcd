#!/usr/bin/env bash
# Set up a virtual environment in .venv with everything the product needs.
#   scripts/setup.sh          the product (web chat, CLI, Python API): no torch, no model download
#   scripts/setup.sh --test   also the test tools: torch (CPU build), sentence-transformers, Ray,
#                             transformers, Playwright with Debian's chromium and CJK fonts,
#                             LibreOffice and Tesseract OCR with Chinese (apt, as root)
#   scripts/setup.sh --help   this text
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  ""|--test) ;;
  -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "scripts/setup.sh: unknown option ${1} (use --test or --help)" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  # torch first and pinned: this machine has the 2.13.0 CPU build; an unpinned torch pulls CUDA (GBs).
  .venv/bin/python -m pip install -q torch==2.13.0
  .venv/bin/python -m pip install -q -e '.[models,test,ray]'
  # LibreOffice prints the test PDFs that office suites make (quotation marks out of order)
  # Tesseract reads scanned PDFs (chi_sim: Simplified Chinese)
  if ! [ -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk" || ! command -v soffice >/dev/null \
      || ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -q chi_sim; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk \
        libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim >/dev/null
    else
      echo "browser, PDF and OCR tests need: sudo apt-get install chromium fonts-noto-cjk libreoffice-writer-nogui" \
        "tesseract-ocr tesseract-ocr-chi-sim" >&2
    fi
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
# The English question path's dictionary, parsed once now rather than on the first English question.
.venv/bin/python -m rag.crosslingual
