#!/usr/bin/env bash
# Runs the real Pulumi CLI and the real kubernetes provider (from local/toolchain) against the emulator:
# preview, up, spec change + up, refresh, destroy, on a tiny program declaring a Secret and a Gateway CR.
# Prints the emulator's request log summary (method, path, query keys, content type, status) at the end.
# Usage: bash local/kubernetes/fidelity/run.sh [workdir]   (needs the toolchain built: npm run toolchain)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache="${KAFKA_CUTOVER_CACHE:-$HOME/.cache/kafka-cutover}"
pv=$(node -p "require('$root/package.json').dependencies['@pulumi/pulumi']")
kv=$(node -p "require('$root/package.json').dependencies['@pulumi/kubernetes']")
for c in "pulumi-v$pv" "pulumi-resource-kubernetes-v$kv"; do
  [[ -f "$cache/$c/.complete" ]] || { echo "toolchain $c not built: run npm run toolchain" >&2; exit 1; }
done
work="${1:-$(mktemp -d /tmp/k8s-fidelity.XXXXXX)}"
mkdir -p "$work/prog" "$work/backend" "$work/home" "$work/state"
cp "$here"/{Pulumi.yaml,index.ts} "$work/prog/"
echo '{ "name": "k8s-fidelity", "main": "index.ts" }' > "$work/prog/package.json"
echo '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true }, "files": ["index.ts"] }' > "$work/prog/tsconfig.json"
ln -sfn "$root/node_modules" "$work/prog/node_modules"
export PATH="$cache/pulumi-v$pv/bin:$PATH" PULUMI_HOME="$work/home" PULUMI_BACKEND_URL="file://$work/backend" \
  PULUMI_CONFIG_PASSPHRASE=test PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  KAFKA_CUTOVER_STATE="$work/state"
pulumi plugin install resource kubernetes "$kv" --file "$cache/pulumi-resource-kubernetes-v$kv/bin/pulumi-resource-kubernetes" >/dev/null
cd "$root"
node -r ts-node/register/transpile-only -e "require('./local/kubernetes').startKubernetesApiDaemon({stateDir: process.env.KAFKA_CUTOVER_STATE}).then(i => console.log('emulator', i.url, 'pid', i.pid))"
trap 'cd "$root" && node -r ts-node/register/transpile-only -e "require(\"./local/kubernetes\").stopKubernetesApiDaemon({stateDir: process.env.KAFKA_CUTOVER_STATE})"' EXIT
export KUBECONFIG_FILE="$work/state/kubernetes/kubeconfig"
cd "$work/prog"
step() { echo "=== $*"; echo "{\"step\":\"$*\"}" >> "$work/state/kubernetes/requests.log"; }
pulumi stack init fidelity --non-interactive >/dev/null 2>&1 || pulumi stack select fidelity
step preview;          pulumi preview --non-interactive --diff
step up;               pulumi up --yes --non-interactive --skip-preview
step "up (no change)"; pulumi up --yes --non-interactive --skip-preview --expect-no-changes
pulumi config set target destination
step "preview (spec change)"; pulumi preview --non-interactive --diff
step "up (spec change)";      pulumi up --yes --non-interactive --skip-preview
step refresh;          pulumi refresh --yes --non-interactive --skip-preview
step destroy;          pulumi destroy --yes --non-interactive --skip-preview
echo "=== request log: $work/state/kubernetes/requests.log"
