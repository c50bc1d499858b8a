#!/bin/sh
# Installs the Debian packages chuishao needs to build, test and run, if any
# is missing. Safe to run again; does nothing when everything is there.
# `tools/deps.sh fuzz` also installs clang and its libFuzzer runtime (make fuzz).
set -e
PKGS="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev libsqlite3-dev \
libcmocka-dev libgeos-dev libproj-dev proj-data libxlsxwriter-dev python3 curl wrk sqlite3 \
clang-format"
[ "$1" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
