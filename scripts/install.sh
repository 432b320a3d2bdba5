#!/usr/bin/env bash
# Install everything CertReady needs on a fresh Debian machine (idempotent).
#   bash scripts/install.sh          the app: system libraries, Python packages, NHS.UK front end
#   bash scripts/install.sh --test   also the test tools: Chromium, PostgreSQL, pytest and friends
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
[ "${1:-}" = "--test" ] && with_test=1

# WeasyPrint needs Pango; libharfbuzz-subset0 gives it the fast font-subsetting path;
# the report's fonts come from fonts-liberation2, with fonts-dejavu-core and fonts-noto-core (42 MB
# installed: Arabic, Bengali, Devanagari, Gujarati, Gurmukhi, Hebrew, Sinhala, Tamil, Thai) for other
# scripts, so every machine renders alike. CJK and colour emoji fonts are left out for size
# (fonts-noto-cjk is 91 MB): the report prints those characters as a visible [?] with a note.
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core
              fonts-noto-core poppler-utils python3-venv)
command -v npm >/dev/null || apt_packages+=(nodejs npm)
if [ "$with_test" = 1 ]; then
  apt_packages+=(chromium postgresql)
fi

missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$with_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi

bash scripts/install-frontend.sh
