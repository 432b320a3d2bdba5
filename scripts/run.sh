#!/usr/bin/env bash
# Install CertReady and start it at http://127.0.0.1:5000 on SQLite (the first README command).
# Set CERTREADY_DEMO=1 to create a demo participant with a finished assessment first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/certready init-db
if [ "${CERTREADY_DEMO:-0}" = 1 ]; then
  .venv/bin/certready demo-data
fi
echo
echo "CertReady is starting at http://127.0.0.1:5000"
echo "Register an account at http://127.0.0.1:5000/register and sign in at http://127.0.0.1:5000/login."
echo "Staff accounts: .venv/bin/certready create-user EMAIL --role designer"
exec .venv/bin/certready run --host 127.0.0.1 --port 5000
