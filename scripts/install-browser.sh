#!/bin/sh
# The browser tests drive Debian's Chromium (/usr/bin/chromium), never a downloaded one.
# Idempotent: does nothing when it is there; otherwise installs the Debian package (sudo when not root).
set -eu

if [ -x /usr/bin/chromium ]; then
    echo "install-browser: /usr/bin/chromium is present ($(/usr/bin/chromium --version 2>/dev/null | head -n 1)); nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: /usr/bin/chromium is missing and apt-get is not available;" >&2
    echo "install Chromium with your system's package manager so that /usr/bin/chromium exists" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-browser: /usr/bin/chromium is missing; run as root or install sudo" >&2
    exit 1
fi

echo "install-browser: /usr/bin/chromium is missing; installing Debian's chromium package"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium

if [ ! -x /usr/bin/chromium ]; then
    echo "install-browser: the chromium package did not provide /usr/bin/chromium" >&2
    exit 1
fi
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
