#!/usr/bin/env bash
# Debian's Chromium (and a Chinese font for readable screenshots) for the dashboard's browser
# tests. Playwright drives this system browser; it never downloads one of its own.
set -euo pipefail
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
chromium --version
