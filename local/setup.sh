#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, idempotently: npm packages (without the provider
# packages' install scripts, which would try to download plugins), the Pulumi toolchain built from the Go
# module proxy, the Kafka jars from Maven Central, kcat from Debian and the Java workload (kafka-clients 4.x
# and 3.x from Maven Central). All cached by version.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
say() { printf '[setup %4ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }

if [[ ! -d node_modules/.bin ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
# What pulumi runs: the program and its dynamic providers compiled into dist/ (npm's prepare does it too,
# but not under --ignore-scripts).
say "build"
node tools/build.js
# local/tls.ts issues the local certificates (Kubernetes emulator, Gateway mTLS) with the openssl CLI.
if ! command -v openssl >/dev/null 2>&1; then
  say "openssl"
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
say "Pulumi toolchain"
bash local/toolchain/build.sh >/dev/null
if [[ -f local/kafka/install-kcat.sh ]]; then say "kcat"; bash local/kafka/install-kcat.sh; fi
if [[ -f local/kafka/prepare.ts ]]; then say "Kafka jars"; npx ts-node --transpile-only local/kafka/prepare.ts; fi
if [[ -f local/load/prepareJava.ts ]]; then say "Java workload"; npx ts-node --transpile-only local/load/prepareJava.ts; fi
say "ready"
