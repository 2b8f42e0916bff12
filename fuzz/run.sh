#!/usr/bin/env bash
# Runs gazette's fuzz targets for a bounded time each (see docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; no TARGET runs every one of
# fuzz/fuzz_targets/. Builds once (cargo fuzz, optimized, with debug
# assertions and overflow checks, no sanitizer, so stable Rust will do;
# FUZZ_TOOLCHAIN=nightly picks another toolchain) into fuzz/target/, then
# runs each target from its corpus fuzz/corpus/TARGET/ (the committed seeds
# fuzz/seeds/TARGET/ are copied in first; what a run finds stays there for
# the next), each input limited to 10 s and the process to 2 GB. Crashes,
# hangs and OOMs are written to fuzz/artifacts/TARGET/, libFuzzer's output
# to fuzz/logs/TARGET.log. Prints for each target its executions, the
# coverage reached (cov: edges, ft: features), its crash artifacts (found
# by this run, and in fuzz/artifacts/TARGET/ in all); exits 1 if any
# target crashed, 2 on a wrong command line.
set -euo pipefail

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$fuzz_dir")

usage() {
  echo "usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  echo "targets: $(all_targets | tr '\n' ' ')" >&2
  exit 2
}
all_targets() { find "$fuzz_dir/fuzz_targets" -name '*.rs' -exec basename {} .rs \; | sort; }

seconds=60
if [[ $# -gt 0 ]]; then
  [[ $1 =~ ^[1-9][0-9]*$ ]] || usage
  seconds=$1
  shift
fi
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  mapfile -t targets < <(all_targets)
fi
for t in "${targets[@]}"; do
  [[ -f $fuzz_dir/fuzz_targets/$t.rs ]] || { echo "unknown target: $t" >&2; usage; }
done

toolchain=()
[[ -n ${FUZZ_TOOLCHAIN:-} ]] && toolchain=("+$FUZZ_TOOLCHAIN")
if ! cargo "${toolchain[@]}" fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: installing it" >&2
  cargo install cargo-fuzz --locked
fi

build_start=$SECONDS
(cd "$root" && cargo "${toolchain[@]}" fuzz build --release --debug-assertions \
  --sanitizer none --target-dir "$fuzz_dir/target")
echo "build: $((SECONDS - build_start)) s" >&2
triple=$(rustc "${toolchain[@]}" -vV | sed -n 's/^host: //p')
bin_dir=$fuzz_dir/target/$triple/release

# The number of crash, hang and OOM artifacts of a target.
artifacts_of() {
  find "$fuzz_dir/artifacts/$1" -type f \( -name 'crash-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) | wc -l
}

failed=()
rows=()
mkdir -p "$fuzz_dir/logs"
for t in "${targets[@]}"; do
  corpus=$fuzz_dir/corpus/$t
  artifacts=$fuzz_dir/artifacts/$t
  log=$fuzz_dir/logs/$t.log
  mkdir -p "$corpus" "$artifacts"
  if [[ -d $fuzz_dir/seeds/$t ]]; then
    cp -r "$fuzz_dir/seeds/$t/." "$corpus/"
  fi
  before=$(artifacts_of "$t")
  echo "fuzzing $t for $seconds s (log: fuzz/logs/$t.log)" >&2
  status=0
  (cd "$fuzz_dir" && "$bin_dir/$t" "$corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$artifacts/" -print_final_stats=1) >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [[ -n $runs ]] || runs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  status_line=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status_line")
  corp=$(find "$corpus" -type f | wc -l)
  crashes=$(artifacts_of "$t")
  new=$((crashes - before))
  if [[ $status -ne 0 || $new -gt 0 ]]; then
    failed+=("$t")
    echo "  $t CRASHED (exit $status, $new new artifacts); the end of its log:" >&2
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -8 | sed 's/^/    /' >&2
  fi
  rows+=("$(printf '%-14s %12s %9s %6s %7s %7s %7s %8s %8s' "$t" "${runs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$corp" "${rss:-?}" "$new" "$crashes")")
done

echo
echo "fuzzing: $seconds s per target"
printf '%-14s %12s %9s %6s %7s %7s %7s %8s %8s\n' target executions exec/s cov ft corpus rss_mb \
  crashes in_total
printf '%s\n' "${rows[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo
  echo "crashed: ${failed[*]}; reproduce with:"
  for t in "${failed[@]}"; do
    for a in "$fuzz_dir/artifacts/$t"/*; do
      echo "  fuzz/target/$triple/release/$t ${a#"$root/"}"
    done
  done
  exit 1
fi
