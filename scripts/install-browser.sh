#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (Playwright drives the system browser;
# it never downloads one of its own).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null  # Chinese in screenshots
fi
chromium --version
