#!/usr/bin/env bash
# Installs the system programs the project runs when they are missing: Java 17+ (DynamoDB Local runs
# on it) and Debian's chromium (the browser tests drive it through playwright-core). `npm start`
# (prestart) asks for java only; `npm test` (pretest) and .ci/run for both, the default. So a fresh
# machine needs nothing but Node and npm. Needs root and apt-get; anywhere else it says what to install
# and stops.
#   bash bin/ensure-system-tools.sh [java] [chromium]
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(java chromium)

missing=()
for tool in "${wanted[@]}"; do
  case "$tool" in
    java) command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless) ;;
    chromium) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
    *) echo "ensure-system-tools: unknown tool '$tool' (known: java, chromium)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Care Journeys needs: ${missing[*]} (Debian package names). Install them, then run the command again." >&2
  exit 1
fi
echo "Installing ${missing[*]} (first run on this machine only)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
