#!/usr/bin/env bash
# Generates apps of N annotated handlers (mixed triggers) and measures what a
# user feels: the synth binary's whole-process time and peak memory, template
# size, and `cargo build` time of the app clean and after editing one handler.
# Prints a Markdown table. Usage: tools/bench.sh [N ...]  (default: 10 50 90 100)
# Synth time is the mean of 20 runs of the debug synth binary (as `cargo run`
# gives users); peak RSS is GNU time's %M. Build times are single wall-clock
# runs with a per-app target dir, so "clean" includes every dependency.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/bench
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10 50 90 100); fi
mkdir -p "$work"

# Handler i gets one of five shapes: route, shared-queue consumer, own queue,
# topic subscriber, schedule. One shared queue and one topic per 10 handlers.
generate() {
  local n=$1 dir=$2
  mkdir -p "$dir/src/bin"
  cat > "$dir/Cargo.toml" <<TOML
[package]
name = "bench-app-$n"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
wirestack = { path = "$root/runtime" }
serde = { version = "1", features = ["derive"] }

[workspace]
TOML
  echo 'wirestack::synth_main!();' > "$dir/src/bin/synth.rs"
  {
    echo 'use wirestack::prelude::*;'
    echo '#[derive(Serialize, Deserialize)] pub struct Msg { pub id: u64 }'
    for ((g = 0; g < (n + 9) / 10; g++)); do
      echo "#[singleton] fn queue_$g() -> Queue<Msg> { Queue::new() }"
      echo "#[singleton] fn topic_$g() -> Topic<Msg> { Topic::new() }"
    done
    for ((i = 0; i < n; i++)); do
      local g=$((i / 10))
      case $((i % 5)) in
        0) echo "#[api(GET \"/items$i/{id}\")]"
           echo "pub async fn handler_$i(Path(id): Path<u64>) -> Result<Json<u64>, Error> { Ok(Json(id + $i)) }" ;;
        1) echo "#[trigger(sqs = queue_$g, batch = 10)]"
           echo "pub async fn handler_$i(m: Msg) -> Result<u64, Error> { Ok(m.id + $i) }" ;;
        2) echo "#[trigger(sqs)] #[action(timeout = 20)]"
           echo "pub async fn handler_$i(m: Msg) -> Result<u64, Error> { Ok(m.id + $i) }" ;;
        3) echo "#[trigger(sns = topic_$g)]"
           echo "pub async fn handler_$i(m: Msg) -> Result<u64, Error> { Ok(m.id + $i) }" ;;
        4) echo "#[trigger(schedule = \"rate($((i + 1)) minutes)\")]"
           echo "pub async fn handler_$i() -> Result<u64, Error> { Ok($i) }" ;;
      esac
    done
  } > "$dir/src/lib.rs"
}

seconds() { # runs "$@", prints wall seconds
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  echo "$end - $start" | bc
}

mean_ms() { # runs "$@" 20 times, prints the mean wall time in ms
  local start end
  start=$(date +%s%N)
  for _ in $(seq 20); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo "($end - $start) / 20000000" | bc -l
}

echo "| handlers | synth time | synth peak RSS | template | resources | build clean | build after editing one handler |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  dir=$work/app-$n
  rm -rf "$dir"
  generate "$n" "$dir"
  export CARGO_TARGET_DIR=$dir/target
  clean=$(seconds cargo build --quiet --manifest-path "$dir/Cargo.toml" --bin synth)
  sed -i "s/Ok(Json(id + 0))/Ok(Json(id + 1))/" "$dir/src/lib.rs"
  incremental=$(seconds cargo build --quiet --manifest-path "$dir/Cargo.toml" --bin synth)
  out=$dir/out
  synth_ms=$(mean_ms "$dir/target/debug/synth" --out "$out")
  if /usr/bin/time -f "%M" -o "$dir/rss.txt" "$dir/target/debug/synth" --out "$out" > "$dir/synth.log" 2>&1; then
    rss=$(tail -n 1 "$dir/rss.txt")
    template=$(ls "$out"/*.template.json)
    bytes=$(stat -c %s "$template")
    resources=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['Resources']))" "$template")
    printf "| %d | %.1f ms | %.1f MB | %s KB | %d | %.1f s | %.1f s |\n" "$n" "$synth_ms" \
      "$(echo "$rss / 1024" | bc -l)" "$((bytes / 1024))" "$resources" "$clean" "$incremental"
  else
    rss=$(tail -n 1 "$dir/rss.txt")
    why=$(grep -m1 'error:' "$dir/synth.log" | sed 's/|/\\|/g')
    printf "| %d | %.1f ms | %.1f MB | (refused: %s) | | %.1f s | %.1f s |\n" "$n" "$synth_ms" \
      "$(echo "$rss / 1024" | bc -l)" "$why" "$clean" "$incremental"
  fi
done
