#!/usr/bin/env bash
# Deploy of the example against moto on 127.0.0.1: the wall time of a first
# deploy (a fresh stage each round: package check, synth, bucket, uploads,
# change set, execute, events), of a no-change deploy, and the uploads a
# no-change deploy makes (object versions in the artifact bucket before and
# after). Prints medians over ROUNDS rounds. The release build is made once
# before timing, as a developer's second deploy finds it.
# Usage: tools/bench-deploy.sh [ROUNDS=7]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-7}
python=$root/target/pytools/bin/python
[ -x "$python" ] || bash "$root/tools/pytools.sh"
cd "$root"
cargo build --quiet -p shop --bin synth
synth=$root/target/debug/synth

port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
coproc MOTO { exec "$python" tools/moto_server.py "$port" 2>/dev/null; }
read -r ready <&"${MOTO[0]}"
[ "$ready" = "ready $port" ] || { echo "moto did not start" >&2; exit 1; }
trap 'kill $MOTO_PID 2>/dev/null || true' EXIT

export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
bucket=wirestack-artifacts-123456789012-us-east-1
versions() {
  "$python" - "$bucket" <<'PY'
import boto3, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
print(len(s3.list_object_versions(Bucket=sys.argv[1]).get("Versions", [])))
PY
}
seconds() { local start=$1 end=$2; echo "$end - $start" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The release build is not part of any figure.
"$synth" package > /dev/null

# The very first deploy (one sample): creates the artifact bucket and
# uploads the code, the layer and the template; moto imports its backends.
start=$(date +%s.%N); "$synth" deploy --stage warmup --yes > /dev/null 2>&1; end=$(date +%s.%N)
very_first=$(seconds "$start" "$end")

first=() ; again=() ; uploads=()
for round in $(seq 1 "$rounds"); do
  stage=bench$round
  start=$(date +%s.%N); "$synth" deploy --stage "$stage" --yes > /dev/null 2>&1; end=$(date +%s.%N)
  first+=("$(seconds "$start" "$end")")
  before=$(versions)
  start=$(date +%s.%N); out=$("$synth" deploy --stage "$stage" --yes 2>/dev/null); end=$(date +%s.%N)
  grep -q "is up to date" <<<"$out" || { echo "round $round: the second deploy was not up to date" >&2; exit 1; }
  again+=("$(seconds "$start" "$end")")
  uploads+=($(( $(versions) - before )))
done

printf '| what (median of %s rounds, whole process) | figure |\n|---|---:|\n' "$rounds"
printf '| the first deploy in a fresh account (bucket created; code, layer and template uploaded; one sample) | %.2f s |\n' "$very_first"
printf '| first deploy of a new stage (71 resources; code already in the bucket, template uploaded) | %.2f s |\n' "$(printf '%s\n' "${first[@]}" | median)"
printf '| no-change deploy | %.2f s |\n' "$(printf '%s\n' "${again[@]}" | median)"
printf '| uploads made by a no-change deploy | %s |\n' "$(printf '%s\n' "${uploads[@]}" | median)"
