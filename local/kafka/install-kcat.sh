#!/usr/bin/env bash
# Installs Debian's kcat if missing, and makes sure it can log in with SCRAM to Kafka 4.x.
#
# Debian bookworm's kcat links librdkafka 2.0.2. librdkafka before 2.6.1 builds a wrong SCRAM
# client-final-message (it appends the client nonce twice), which Kafka 4.x rejects as "invalid
# credentials" (fixed in librdkafka 2.6.1). When the system librdkafka is older, this script takes a
# newer librdkafka.so.1 (self-contained, built by Confluent) from the confluent-kafka manylinux wheel on
# PyPI and caches it under $KAFKA_CUTOVER_CACHE/librdkafka-<version>/; local/kafka/kcat.sh and
# local/kafka/kcat.ts put it first on LD_LIBRARY_PATH. kcat itself stays Debian's.
set -euo pipefail

LIBRDKAFKA_VERSION="2.13.0"   # = the confluent-kafka wheel version
CACHE_ROOT="${KAFKA_CUTOVER_CACHE:-$HOME/.cache/kafka-cutover}"
LIB_DIR="$CACHE_ROOT/librdkafka-$LIBRDKAFKA_VERSION"

if ! command -v kcat >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends kcat >/dev/null
fi
echo "kcat: $(command -v kcat)"

# "... librdkafka 2.0.2 builtin.features=..." -> 2.0.2
rdkafka_version() { sed -n 's/.*librdkafka \([0-9][0-9.]*\).*/\1/p' | head -n 1; }
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

system_version="$(kcat -V | rdkafka_version)"
echo "system librdkafka: $system_version"
if version_ge "$system_version" "2.6.1"; then
  echo "system librdkafka supports SCRAM against Kafka 4.x; nothing else to do"
  exit 0
fi

if [ ! -f "$LIB_DIR/librdkafka.so.1" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  arch="$(uname -m)"
  pip="pip3"; command -v pip3 >/dev/null 2>&1 || pip="python3 -m pip"
  $pip download --quiet --no-deps --only-binary :all: --platform "manylinux_2_28_$arch" \
    --python-version 3.11 "confluent-kafka==$LIBRDKAFKA_VERSION" -d "$tmp"
  python3 - "$tmp" <<'PY'
import glob, sys, zipfile
tmp = sys.argv[1]
wheel = glob.glob(f"{tmp}/confluent_kafka-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith("confluent_kafka.libs/librdkafka")]
    if len(names) != 1:
        sys.exit(f"expected one librdkafka in {wheel}, found {names}")
    with open(f"{tmp}/librdkafka.so.1", "wb") as out:
        out.write(z.read(names[0]))
PY
  mkdir -p "$LIB_DIR"
  install -m 0755 "$tmp/librdkafka.so.1" "$LIB_DIR/librdkafka.so.1.tmp"
  mv "$LIB_DIR/librdkafka.so.1.tmp" "$LIB_DIR/librdkafka.so.1"
fi

bundled_version="$(LD_LIBRARY_PATH="$LIB_DIR" kcat -V | rdkafka_version)"
features="$(LD_LIBRARY_PATH="$LIB_DIR" kcat -V | grep -o 'builtin.features=[^)]*')"
if [ "$bundled_version" != "$LIBRDKAFKA_VERSION" ] || [[ "$features" != *sasl_scram* ]]; then
  echo "kcat did not pick up $LIB_DIR/librdkafka.so.1 (got $bundled_version, $features)" >&2
  exit 1
fi
echo "kcat runs with librdkafka $bundled_version from $LIB_DIR ($features)"
