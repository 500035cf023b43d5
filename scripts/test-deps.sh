#!/usr/bin/env bash
# Installs every system package the tests need (Debian 12), as root or through sudo.
# Called by scripts/test.sh (the README's test command) and by .ci/run; safe to run
# again (apt-get installs only what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
# gcc builds the bundled SQLite; the GUI libraries are loaded at run time only.
$SUDO apt-get install -y --no-install-recommends gcc libc6-dev pkg-config ca-certificates
# The PDF tests read the exported files back: poppler (pdftotext, pdffonts, pdfinfo),
# qpdf, and Apache PDFBox Preflight (PDF/A-1b) on a headless Java runtime.
$SUDO apt-get install -y --no-install-recommends poppler-utils qpdf default-jre-headless \
    libpdfbox2-java libactivation-java libjaxb-api-java
# The lock test lets Debian's own sqlite3 (an older SQLite, another program) touch the
# database while Vanthu holds it.
$SUDO apt-get install -y --no-install-recommends sqlite3
# Digital signatures (issue #16): openssl makes a throwaway CA at test time, SoftHSM2
# holds a seal key (pkcs11-tool from opensc writes its certificate), pyHanko is the
# independent PAdES validator beside poppler's pdfsig.
$SUDO apt-get install -y --no-install-recommends openssl softhsm2 opensc python3-venv python3-pip
[ -x /opt/vanthu-venv/bin/pyhanko ] || { $SUDO python3 -m venv /opt/vanthu-venv && \
    $SUDO /opt/vanthu-venv/bin/pip install --quiet pyHanko==0.38.0 pyhanko-cli==0.6.0; }
# The Windows build and its tests (issue #18): the MinGW-w64 cross toolchain (linker,
# windres for the exe's icon and version information), NSIS for the installer, zip,
# Debian's Wine 8 (64-bit) to run it, Xvfb, x11-utils and ImageMagick for the window
# smoke test, unzip and binutils for the package checks.
$SUDO apt-get install -y --no-install-recommends gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 \
    nsis zip unzip wine wine64 xvfb x11-utils imagemagick binutils xauth
# PostgreSQL (issue #15): the tests start a throwaway cluster of their own
# (scripts/pg-test-cluster.sh) and run every core store test against it.
$SUDO apt-get install -y --no-install-recommends postgresql python3
rustup target add x86_64-pc-windows-gnu
