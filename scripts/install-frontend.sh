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
[ -f "$source_dir"/nhsuk-frontend.min.js.map ] && cp "$source_dir"/nhsuk-frontend.min.js.map "$target_dir"/
cp -R "$source_dir"/assets "$target_dir"/assets

# The compiled CSS points at /assets/images/... (the site root) and loads the Frutiger web font from
# the NHS CDN. We serve the images from our static folder, so make those URLs relative to the CSS
# file, and drop the remote @font-face rules: our Content-Security-Policy allows fonts from 'self'
# only (no third-party requests that would reveal visitors' addresses); text falls back to Arial.
node - "$target_dir/nhsuk-frontend.min.css" <<'NODE'
const fs = require("fs");
const file = process.argv[2];
let css = fs.readFileSync(file, "utf8");
css = css.replace(/url\(\/assets\//g, "url(assets/");
css = css.replace(/@font-face\{[^}]*https:\/\/assets\.nhs\.uk[^}]*\}/g, "");
if (/url\(\/assets\/|assets\.nhs\.uk/.test(css)) {
  console.error("install-frontend: could not rewrite every asset URL in " + file);
  process.exit(1);
}
fs.writeFileSync(file, css);
NODE
rm -f "$target_dir"/nhsuk-frontend.min.css.map  # no longer matches the rewritten CSS
version=$(node -p "require('./node_modules/nhsuk-frontend/package.json').version")
echo "$version" > "$target_dir"/VERSION
echo "install-frontend: NHS.UK frontend $version copied to $target_dir"
