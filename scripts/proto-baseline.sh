#!/usr/bin/env bash
# Records the published API: buf.baseline.json is the buf image (JSON, no source info) that
# `buf breaking` compares the contracts with on every test run. Updating it is a deliberate,
# separate step (`task proto:baseline`), taken when a breaking change is meant to ship.
set -euo pipefail
cd "$(dirname "$0")/.."
npx buf build --exclude-source-info -o '-#format=json' \
  | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.stringify(JSON.parse(s),null,1)+"\n"))' \
  > buf.baseline.json.partial
mv buf.baseline.json.partial buf.baseline.json
echo "buf.baseline.json: the API as of now"
