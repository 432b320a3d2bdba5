#!/usr/bin/env bash
# Visual check of the PDF readiness report for people reviewing layout changes.
#   bash scripts/report-preview.sh [FRAMEWORK] [PROFILE] [RATINGS] [RESOLUTION]
# Renders the report from files (the same path as `certready report`), then turns every page
# into a PNG with pdftoppm (Debian package poppler-utils) under test-artifacts/report-preview/.
# Open the PNGs, or the contact sheet contact-sheet.png, and look at them as a reader would.
set -euo pipefail
cd "$(dirname "$0")/.."

framework=${1:-nhs-digital-academy-dhlp}
profile=${2:-examples/profile-part-time-carer.yaml}
ratings=${3:-examples/ratings-dhlp.yaml}
resolution=${4:-60}
out=test-artifacts/report-preview

command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install poppler-utils" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
.venv/bin/python - "$framework" "$profile" "$ratings" "$out/report.pdf" <<'PY'
import sys, time
from app.reports.renderer import render_from_files
start = time.perf_counter()
pdf = render_from_files(sys.argv[1], sys.argv[2], sys.argv[3])
open(sys.argv[4], "wb").write(pdf)
print(f"rendered {sys.argv[4]} ({len(pdf):,} bytes) in {time.perf_counter() - start:.2f} s (includes the first import)")
PY
pdftoppm -png -r "$resolution" "$out/report.pdf" "$out/page"
.venv/bin/python - "$out" <<'PY'
import sys
from pathlib import Path
try:
    from PIL import Image
except ImportError:
    sys.exit(0)
pages = sorted(Path(sys.argv[1]).glob("page-*.png"))
images = [Image.open(page) for page in pages]
width, height = images[0].size
columns = 4
rows = (len(images) + columns - 1) // columns
sheet = Image.new("RGB", (width * columns, height * rows), "white")
for index, image in enumerate(images):
    sheet.paste(image, ((index % columns) * width, (index // columns) * height))
sheet.save(Path(sys.argv[1]) / "contact-sheet.png")
PY
ls "$out"
