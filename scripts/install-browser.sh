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
# Playwright's Python package (pinned in requirements-dev.txt) drives it; `make test` installs it too.
venv="$(dirname "$0")/../.venv/bin"
if [ -x "$venv/python" ] && ! "$venv/python" -c "import playwright" 2>/dev/null; then
  "$venv/pip" install --quiet "$(grep -E '^playwright==' "$(dirname "$0")/../requirements-dev.txt")"
fi
chromium --version
