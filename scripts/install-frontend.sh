#!/usr/bin/env bash
# Install the NHS.UK frontend from npm and copy its compiled CSS, JS and assets into app/static/nhsuk/.
# The copy is gitignored: it is rebuilt from package-lock.json, never committed as a vendored copy.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

source_dir=node_modules/nhsuk-frontend/dist/nhsuk
target_dir=app/static/nhsuk
if [ ! -f "$source_dir/nhsuk-frontend.min.css" ]; then
  echo "install-frontend: $source_dir/nhsuk-frontend.min.css not found; is nhsuk-frontend installed?" >&2
  exit 1
fi

rm -rf "$target_dir"
mkdir -p "$target_dir"
cp "$source_dir"/nhsuk-frontend.min.css "$source_dir"/nhsuk-frontend.min.js "$target_dir"/
# Source maps help when debugging in a browser; copy them when the package ships them.
for map in "$source_dir"/nhsuk-frontend.min.css.map "$source_dir"/nhsuk-frontend.min.js.map; do
  [ -f "$map" ] && cp "$map" "$target_dir"/
done
cp -R "$source_dir"/assets "$target_dir"/assets
version=$(node -p "require('./node_modules/nhsuk-frontend/package.json').version")
echo "$version" > "$target_dir"/VERSION
echo "install-frontend: NHS.UK frontend $version copied to $target_dir"
