#!/usr/bin/env bash
# Runs Debian's kcat with the librdkafka that install-kcat.sh cached (if any); see install-kcat.sh for why.
set -euo pipefail
LIB_DIR="${KAFKA_CUTOVER_CACHE:-$HOME/.cache/kafka-cutover}/librdkafka-2.13.0"
if [ -f "$LIB_DIR/librdkafka.so.1" ]; then
  export LD_LIBRARY_PATH="$LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
exec kcat "$@"
