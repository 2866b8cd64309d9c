#!/usr/bin/env bash
# Generates apps of N annotated handlers (mixed triggers, capability
# parameters) and measures what a user feels: the synth binary's
# whole-process time (the median of 21 runs: debug as `cargo run` gives
# users, debug with wirestack optimized as README's profile tip gives them,
# and release) and peak memory, the templates (stacks, the largest in bytes
# and resources), and `cargo build` time of the app clean and after editing
# one handler (handlers in modules of 50, and all in lib.rs). Prints a
# Markdown table.
# Usage: tools/bench.sh [N ...]  (default: 10 100 1000 5000)
# Peak RSS is GNU time's %M. Build times are single wall-clock runs in one
# target dir the apps share: "clean" builds the app's crate after
# `cargo clean -p` (its dependencies are built once, before the first app).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/bench
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10 100 1000 5000); fi
mkdir -p "$work"

# Handler i gets one of five shapes: route (sending to its group's queue),
# shared-queue consumer (publishing to its group's topic), own queue, topic
# subscriber, schedule. One shared queue and one topic per 10 handlers.
# Handlers are laid out as an app of that size is: modules of 50 (`area_0`,
# ..), the shared queues and topics at the crate root. With layout `file`
# they all sit in lib.rs instead (the "all in lib.rs" column).
generate() {
  local n=$1 dir=$2 layout=${3:-modules} name=bench-app-$1
  if [ "$layout" = file ]; then name=bench-app-$1-file; fi
  mkdir -p "$dir/src/bin"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$name"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
wirestack = { path = "$root/runtime", features = ["sqs", "sns"] }
serde = { version = "1", features = ["derive"] }

[workspace]

# README's tip: the dependencies synth runs on, optimized once; the app's
# own crate still builds as fast as a debug build does.
[profile.dev-tip]
inherits = "dev"
[profile.dev-tip.package.wirestack]
opt-level = 3
[profile.dev-tip.package.serde_json]
opt-level = 3
TOML
  echo 'wirestack::synth_main!();' > "$dir/src/bin/synth.rs"
  {
    echo 'use wirestack::prelude::*;'
    echo '#[derive(Serialize, Deserialize)] pub struct Msg { pub id: u64 }'
    for ((g = 0; g < (n + 9) / 10; g++)); do
      echo "#[singleton] pub fn queue_$g() -> Queue<Msg> { Queue::new() }"
      echo "#[singleton] pub fn topic_$g() -> Topic<Msg> { Topic::new() }"
    done
    for ((i = 0; i < n; i++)); do
      local g=$((i / 10))
      if [ "$layout" = modules ] && ((i % 50 == 0)); then
        if ((i > 0)); then echo "}"; fi
        echo "pub mod area_$((i / 50)) {"
        echo "use super::*;"
      fi
      case $((i % 5)) in
        0) echo "#[api(GET \"/items$i/{id}\")]"
           echo "pub async fn handler_$i(Path(id): Path<u64>, q: Sender<queue_$g>) -> Result<Json<u64>, Error> { q.send(&Msg { id }).await?; Ok(Json(id + $i)) }" ;;
        1) echo "#[trigger(sqs = queue_$g, batch = 10)]"
           echo "pub async fn handler_$i(m: Msg, t: Publisher<topic_$g>) -> Result<u64, Error> { t.publish(&m).await?; Ok(m.id + $i) }" ;;
        2) echo "#[trigger(sqs)] #[action(timeout = 20)]"
           echo "pub async fn handler_$i(m: Msg) -> Result<u64, Error> { Ok(m.id + $i) }" ;;
        3) echo "#[trigger(sns = topic_$g)]"
           echo "pub async fn handler_$i(m: Msg) -> Result<u64, Error> { Ok(m.id + $i) }" ;;
        4) echo "#[trigger(schedule = \"rate($((i + 1)) minutes)\")]"
           echo "pub async fn handler_$i() -> Result<u64, Error> { Ok($i) }" ;;
      esac
    done
    if [ "$layout" = modules ] && ((n > 0)); then echo "}"; fi
  } > "$dir/src/lib.rs"
}

seconds() { # runs "$@", prints wall seconds
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median_ms() { # runs "$@" 21 times, prints the median wall time in ms
  local start end
  for _ in $(seq 21); do
    start=$(date +%s%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
    echo "($end - $start) / 1000000" | bc -l
  done | sort -n | sed -n 11p
}

echo "| handlers | synth, release | synth, debug | synth, debug with the tip | synth peak RSS | stacks | largest template | build clean | build after editing one handler | the same, all in lib.rs |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  export CARGO_TARGET_DIR=$work/target
  # First the same app in one file, whose `synth` the app's own build then
  # replaces in the shared target dir.
  file=$work/app-$n-file
  rm -rf "$file"
  generate "$n" "$file" file
  cargo build --quiet --manifest-path "$file/Cargo.toml" --bin synth
  sed -i "s/Ok(Json(id + 0))/Ok(Json(id + 1))/" "$file/src/lib.rs"
  in_one_file=$(seconds cargo build --quiet --manifest-path "$file/Cargo.toml" --bin synth)
  dir=$work/app-$n
  rm -rf "$dir"
  generate "$n" "$dir"
  cargo build --quiet --manifest-path "$dir/Cargo.toml" --bin synth  # the dependencies
  cargo clean --quiet -p "bench-app-$n" --manifest-path "$dir/Cargo.toml"
  clean=$(seconds cargo build --quiet --manifest-path "$dir/Cargo.toml" --bin synth)
  sed -i "s/Ok(Json(id + 0))/Ok(Json(id + 1))/" "$dir/src/lib.rs"
  incremental=$(seconds cargo build --quiet --manifest-path "$dir/Cargo.toml" --bin synth)
  cargo build --quiet --release --manifest-path "$dir/Cargo.toml" --bin synth
  cargo build --quiet --profile dev-tip --manifest-path "$dir/Cargo.toml" --bin synth
  out=$dir/out
  # The builds leave hundreds of megabytes to write back; small apps' synth
  # times read 2-3 times too high while the kernel does that.
  sync
  debug_ms=$(median_ms "$work/target/debug/synth" --out "$out")
  tip_ms=$(median_ms "$work/target/dev-tip/synth" --out "$out")
  release_ms=$(median_ms "$work/target/release/synth" --out "$out")
  rm -rf "$out"
  if /usr/bin/time -f "%M" -o "$dir/rss.txt" "$work/target/release/synth" --out "$out" > "$dir/synth.log" 2>&1; then
    shape=$(python3 - "$out" <<'PY'
import json, pathlib, sys
files = sorted(pathlib.Path(sys.argv[1]).glob("*.template.json"))
largest = max(files, key=lambda f: f.stat().st_size)
resources = len(json.loads(largest.read_text())["Resources"])
print(f"{len(files)} | {largest.stat().st_size // 1024} KB, {resources} resources")
PY
)
  else
    shape="| (refused: $(grep -m1 'error:' "$dir/synth.log" | sed 's/|/\\|/g'))"
  fi
  rss=$(tail -n 1 "$dir/rss.txt")
  printf "| %d | %.1f ms | %.1f ms | %.1f ms | %.1f MB | %s | %.1f s | %.1f s | %.1f s |\n" "$n" "$release_ms" "$debug_ms" \
    "$tip_ms" "$(echo "$rss / 1024" | bc -l)" "$shape" "$clean" "$incremental" "$in_one_file"
done
