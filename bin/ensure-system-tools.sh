#!/usr/bin/env bash
# Installs the two system programs the tests use when they are missing: Java 17+ (DynamoDB Local runs
# on it) and Debian's chromium (the browser tests drive it through playwright-core). Used by `npm test`
# (pretest) and by .ci/run, so a fresh machine needs nothing but Node and npm. Needs root and apt-get;
# anywhere else it says what to install and stops.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need: ${missing[*]} (Debian package names). Install them, then run the tests again." >&2
  exit 1
fi
echo "Installing ${missing[*]} (first run on this machine only)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
