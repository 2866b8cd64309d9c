#!/usr/bin/env bash
# Synth time of two revisions, measured in one run so a noisy machine
# treats both alike: the example (`shop`) and a generated app of N handlers
# (tools/bench.sh's mixed shapes), each revision's synth binary run ROUNDS
# times, the two interleaved; prints the median of each in a table.
# Usage: [PROFILE=release] tools/bench-synth-compare.sh BEFORE_REV [AFTER_REV=HEAD] [N=90] [ROUNDS=31]
# PROFILE is a cargo profile (default `dev`, the debug build `cargo run`
# gives). CARGO_TARGET_DIR may name a target dir whose dependencies are
# already built (tools/bench.sh's target/bench/target).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Revisions as commit hashes now, so committing during the run changes nothing.
before=$(git -C "$root" rev-parse --short "${1:?usage: tools/bench-synth-compare.sh BEFORE_REV [AFTER_REV] [N] [ROUNDS]}")
after=$(git -C "$root" rev-parse --short "${2:-HEAD}")
n=${3:-90}
rounds=${4:-31}
work=$root/target/bench-compare
profile=${PROFILE:-dev}
out_dir=debug; [ "$profile" != dev ] && out_dir=$profile
# One target dir for both trees: the registry crates are built once.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$work/target}
mkdir -p "$work"

for side in before after; do
  rev=$before; [ $side = after ] && rev=$after
  tree=$work/$side
  if [ -d "$tree" ]; then git -C "$root" worktree remove --force "$tree"; fi
  git -C "$root" worktree add --detach --quiet "$tree" "$rev"
  # Cargo names a workspace member's artifacts the same in both trees and
  # judges them fresh by mtime: without this, the second tree's `shop`
  # would reuse the first one's binary.
  find "$tree" -name '*.rs' -exec touch {} +
  # The generated app is tools/bench.sh's, built against this tree.
  app=$work/app-$side
  rm -rf "$app"
  (source <(sed -n '/^generate()/,/^}/p' "$root/tools/bench.sh"); root=$tree; generate "$n" "$app")
  sed -i "s/^name = \"bench-app-$n\"/name = \"bench-app-$n-$side\"/" "$app/Cargo.toml"
  cargo build --quiet --profile "$profile" --manifest-path "$tree/Cargo.toml" -p shop --bin synth
  cp "$CARGO_TARGET_DIR/$out_dir/synth" "$work/shop-$side"
  cargo build --quiet --profile "$profile" --manifest-path "$app/Cargo.toml" --bin synth
  cp "$CARGO_TARGET_DIR/$out_dir/synth" "$work/app-$side-synth"
done

median_ms() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'; }
run_ms() { # prints one whole-process run's wall time in ms
  local start end
  start=$(date +%s%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
  echo "($end - $start) / 1000000" | bc -l
}

for program in shop app; do
  : > "$work/$program-before.ms"; : > "$work/$program-after.ms"
  for _ in $(seq "$rounds"); do
    for side in before after; do
      binary=$work/$program-$side; [ $program = app ] && binary=$work/app-$side-synth
      run_ms "$binary" --out "$work/out-$program-$side" >> "$work/$program-$side.ms"
    done
  done
done

echo "| app ($profile build, median of $rounds runs) | $before | $after |"
echo "|---|---:|---:|"
echo "| shop (the example, 10 actions) | $(median_ms < "$work/shop-before.ms") ms | $(median_ms < "$work/shop-after.ms") ms |"
echo "| generated, $n handlers | $(median_ms < "$work/app-before.ms") ms | $(median_ms < "$work/app-after.ms") ms |"
for side in before after; do git -C "$root" worktree remove --force "$work/$side"; done
