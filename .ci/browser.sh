#!/usr/bin/env bash
# Browser checks of the built documentary, served under a sub-path on 127.0.0.1 as GitHub Pages
# would serve it: a crawl for broken links and #anchors, the Nu HTML checker on every page,
# axe-core on every page kind, Playwright end-to-end tests (Debian chromium) and screenshots
# under target/screenshots/. Installs what it needs, idempotently. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "browser.sh: need $* installed (run as root to install it)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/chromium ] || apt_install chromium
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
# pdfinfo and pdftotext read the print edition printed to PDF (print.test.mjs).
command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
# The serif the screenshots are judged in (Charter's open cousin); readers use their own fonts.
fc-list 2>/dev/null | grep -q "Charis SIL" || apt_install fonts-sil-charis

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
export DOSSIER_BASE=/dossier-test/
export DOSSIER_SITE="$site/public"
cargo run --release --quiet -- build --out "$DOSSIER_SITE" --base-url "http://127.0.0.1$DOSSIER_BASE"

node --test --test-concurrency=1 tests/browser/
