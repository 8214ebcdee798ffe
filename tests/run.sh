#!/usr/bin/env bash
# `npm test`: lint and type-check, then every jest project (unit, integration, e2e) against one local
# environment started here and stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --check --log-level warn "**/*.ts"
npx tsc --noEmit -p .
npx eslint .
export KAFKA_CUTOVER_STATE="${KAFKA_CUTOVER_STATE:-$PWD/local/.state/test}"
trap 'npx ts-node --transpile-only local/down.ts >/dev/null 2>&1 || true' EXIT
# Every run starts from nothing: the emulators persist their state (links, CRs) in the state folder.
npx ts-node --transpile-only local/down.ts >/dev/null 2>&1 || true
case "$KAFKA_CUTOVER_STATE" in */local/.state/test|/tmp/*) rm -rf "$KAFKA_CUTOVER_STATE" ;; esac
npx ts-node --transpile-only local/up.ts
export KAFKA_CUTOVER_ENDPOINTS="$KAFKA_CUTOVER_STATE/endpoints.json"
results="$KAFKA_CUTOVER_STATE/jest-results.json"
status=0
# --forceExit: a client still reconnecting in some worker must not keep a finished run open for minutes.
npx jest --ci --forceExit --json --outputFile="$results" "$@" || status=$?
# A closing line any CI reader understands, whatever jest printed above it.
node -e 'const r=require(process.argv[1]);console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`)' "$results" || true
exit $status
