#!/usr/bin/env bash
# Builds the real Pulumi CLI, the Node.js language host and the kubernetes resource provider from the
# Go module proxy, at the versions pinned in package.json, into ~/.cache/kafka-cutover/ (one folder per
# version, with a stamp). Idempotent: a warm cache returns at once. Prints the bin folder on its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache="${KAFKA_CUTOVER_CACHE:-$HOME/.cache/kafka-cutover}"

# The versions are read from package.json so that CLI, SDK and plugin can never drift apart.
pin() { node -e "const p=require('$root/package.json');const v=(p.dependencies||{})['$1'];if(!/^\d+\.\d+\.\d+$/.test(v||''))throw new Error('$1 must be pinned to an exact version in package.json, got '+v);console.log(v)"; }
PULUMI_V=$(pin @pulumi/pulumi)
K8S_V=$(pin @pulumi/kubernetes)

log() { printf '[toolchain %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

export GOFLAGS="${GOFLAGS:-} -modcacherw"
export CGO_ENABLED=0
jobs=$(nproc)

# The Go proxy reachable here serves tagged pkg/sdk releases but not the untagged nested module the
# language host moved to after v3.68 (sdk/nodejs/cmd/pulumi-language-nodejs/v3: 403 for every revision).
# The last release that ships the Node.js language host inside sdk/v3 is v3.68.0: we build that one,
# in a builder module of its own. Its gRPC contract (GetRequiredPlugins, Run, GetPluginInfo) is still
# served by the v3.248 engine; see local/toolchain/README.md.
LANGHOST_SDK_V=3.68.0

build_pulumi() {
  local out="$cache/pulumi-v$PULUMI_V" stamp
  stamp="$out/.complete"
  if [[ -f "$stamp" ]]; then log "pulumi v$PULUMI_V cached in $out"; return; fi
  rm -rf "$out/bin"; mkdir -p "$out/bin"
  local ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_V"
  log "building pulumi v$PULUMI_V from the Go module proxy (cold: ~10-20 min)"
  builder "pulumi-v$PULUMI_V" "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_V" \
    "-tags osusergo,grpcnotrace" "$ld" "$out/bin/pulumi"
  log "building the Node.js language host (sdk v$LANGHOST_SDK_V)"
  builder "pulumi-language-nodejs-v$LANGHOST_SDK_V" "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v$LANGHOST_SDK_V" \
    "-tags osusergo" "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$LANGHOST_SDK_V" \
    "$out/bin/pulumi-language-nodejs"
  # The dynamic-provider launcher: a shell script that runs @pulumi/pulumi's dynamic provider from the
  # project's node_modules (plugins start with the project folder as their working directory).
  cat > "$out/bin/pulumi-resource-pulumi-nodejs" <<'LAUNCHER'
#!/bin/sh
script=$(node -e "process.stdout.write(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))" 2>/dev/null)
if [ -z "$script" ]; then
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed in $(pwd)/node_modules; run npm ci" >&2
  exit 1
fi
exec node "$script" "$@"
LAUNCHER
  chmod +x "$out/bin/pulumi-resource-pulumi-nodejs"
  "$out/bin/pulumi" version >/dev/null
  touch "$stamp"
  log "pulumi v$PULUMI_V ready in $out/bin"
}

# builder NAME PACKAGE@VERSION TAGS LDFLAGS OUT: builds a main package from a throwaway main module that
# requires it at exactly VERSION (the dependency's own replace directives do not apply).
builder() {
  local name=$1 pkgv=$2 tags=$3 ld=$4 outfile=$5
  local pkg=${pkgv%@*} want=${pkgv#*@} b="$cache/build/$name"
  rm -rf "$b"; mkdir -p "$b"
  (
    cd "$b"
    go mod init "kafkacutover.local/build" >/dev/null 2>&1
    go mod edit -replace github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    go get "$pkgv"
    local got
    got=$(go list -f '{{.Module.Version}}' "$pkg")
    [[ "$got" == "$want" ]] || { log "$name: $pkg resolved to $got, not $want"; exit 1; }
    # shellcheck disable=SC2086
    go build -p "$jobs" -trimpath $tags -ldflags "$ld" -o "$outfile" "$pkg"
  )
  rm -rf "$b"
}

# provider/v4 has no tags of its own, and the Go proxy reachable here serves one revision of it: the
# 2026-01-15 commit below (the one crd2pulumi depends on). We build that revision and stamp it with the
# @pulumi/kubernetes version pinned in package.json, the release cut from that line.
K8S_PROVIDER_REV=v4.0.0-20260115033456-f47bc2d6f199
K8S_SDK_GO_V=v4.22.2

build_kubernetes_provider() {
  local out="$cache/pulumi-resource-kubernetes-v$K8S_V" stamp
  stamp="$out/.complete"
  if [[ -f "$stamp" ]]; then log "pulumi-resource-kubernetes v$K8S_V cached in $out"; return; fi
  local b="$cache/build/kubernetes-v$K8S_V"
  rm -rf "$b" "$out"; mkdir -p "$b" "$out/bin"
  log "building pulumi-resource-kubernetes v$K8S_V (provider/v4@$K8S_PROVIDER_REV) from the Go module proxy (cold: ~10-20 min)"
  local dir
  dir=$(go mod download -json "github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PROVIDER_REV" | node -pe 'JSON.parse(require("fs").readFileSync(0)).Dir')
  cp -r "$dir/." "$b/"; chmod -R u+w "$b"
  (
    cd "$b"
    go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@$K8S_SDK_GO_V"
    go mod tidy >/dev/null 2>&1 || go mod download
    # The schema the binary embeds is generated, not committed.
    (cd cmd/pulumi-resource-kubernetes && VERSION="$K8S_V" go run -mod=mod generate.go)
    log "compiling pulumi-resource-kubernetes"
    go build -mod=mod -p "$jobs" -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_V" \
      -o "$out/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
  )
  rm -rf "$b"
  touch "$stamp"
  log "pulumi-resource-kubernetes v$K8S_V ready in $out/bin"
}

build_pulumi
build_kubernetes_provider
echo "$cache/pulumi-v$PULUMI_V/bin"
