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
status=0
# --forceExit: a client still reconnecting in some worker must not keep a finished run open for minutes.
# The e2e cutover runs after the rest, on a machine no other test loads: a librdkafka consumer has been
# seen not to resume after the switch, more often under load (DESIGN.md, "Known issues").
npx jest --ci --forceExit --json --outputFile="$KAFKA_CUTOVER_STATE/jest-1.json" --passWithNoTests --selectProjects unit integration "$@" || status=$?
npx jest --ci --forceExit --json --outputFile="$KAFKA_CUTOVER_STATE/jest-2.json" --passWithNoTests --selectProjects e2e "$@" || status=$?
# Closing lines any CI reader understands, whatever jest printed above them: each failure, then the totals.
node tests/summary.js "$KAFKA_CUTOVER_STATE/jest-1.json" "$KAFKA_CUTOVER_STATE/jest-2.json" || true
exit $status
