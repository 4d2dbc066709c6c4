#!/usr/bin/env bash
# The performance report in one command: builds the benchmarks, runs the report set (each kernel
# beside its scalar twin and its outside anchors, one JMH run per family, JMH's JSON in
# jmh/results/), runs the PyTorch anchors (when Debian's python3-torch is installed; text and
# JSON beside JMH's), then writes jmh/results/REPORT.md and a ratio chart per family in
# jmh/results/charts/ from everything in the folder (dev.nonlinear.jmh.report.ReportMain).
#   jmh/report.sh            the full set (about 25 minutes on 2 cores)
#   jmh/report.sh Gemm       only the families (and anchors) whose name contains "Gemm"; the
#                            others' results stay, and the report is written from all of them
#   jmh/report.sh --quick    every benchmark once, briefly, on small sizes, then the report from
#                            that: proves that they run and that the report builds (CI); its
#                            numbers mean nothing and go to jmh/results/quick/
# Benchmarks with a `threads` parameter run on 1 thread and on all cores (nproc), OpenBLAS on as
# many; so do the PyTorch anchors. Run the full set on a quiet machine: ratios only mean
# something when both sides ran under the same load. A family whose run produces no result
# fails the script.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
required=25
# shellcheck source=../scripts/java25.sh
source "$root/scripts/java25.sh"
java_bin="$(find_java)"
command="jmh/report.sh${*:+ $*}"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

quick=false
if [[ "${1:-}" == "--quick" ]]; then
  quick=true
  shift
fi
only="${1:-}"
results="jmh/results"
timing=(-f 1 -wi 3 -i 5 -w 1 -r 1)
if $quick; then
  results="jmh/results/quick"
  # -foe: a benchmark that throws fails the run.
  timing=(-f 1 -wi 0 -i 1 -w 100ms -r 100ms -foe true)
fi
cores="$(nproc)"
thread_counts=(1)
if (( cores > 1 )); then
  thread_counts+=("$cores")
fi
python=/usr/bin/python3
jmh=("$java_bin" --add-modules jdk.incubator.vector -jar "$root/jmh/target/benchmarks.jar")

cd "$root"
# A full or quick run starts from an empty folder, so that no result of an earlier run joins
# the report; a filtered run replaces only what it reruns.
if [[ -z "$only" ]]; then
  rm -rf "$results/charts"
  rm -f "$results"/*.json "$results"/pytorch-*.txt "$results/REPORT.md"
fi
mkdir -p "$results"

mvn -q -B -DskipTests package -pl jmh -am

# Whether a family or anchor is in this run; counts those that are.
selected_count=0
selected() {
  [[ -z "$only" || "$1" == *"$only"* ]] || return 1
  selected_count=$((selected_count + 1))
}

# One JMH run into $results/FILE.json: a file name, OpenBLAS's thread count, JMH arguments.
run_jmh() {
  local file="$results/$1.json" blas_threads="$2"
  shift 2
  local status=0
  OPENBLAS_NUM_THREADS="$blas_threads" "${jmh[@]}" "$@" "${timing[@]}" -rf json -rff "$file" \
    | { grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' || true; } || status=$?
  if (( status != 0 )) || ! grep -q '"benchmark"' "$file" 2>/dev/null; then
    echo "jmh/report.sh: $(basename "$file") has no results (JMH exit status $status," \
      "arguments: $*)" >&2
    exit 1
  fi
}

# One family: a name, then JMH arguments (the benchmark regex first). Benchmarks with a
# `threads` parameter run once per thread count, into NAME-threadsT.json (one JMH run each,
# since JMH cannot give a fork an environment per parameter); the others into NAME.json.
bench() {
  local name="$1"
  shift
  selected "$name" || return 0
  rm -f "$results/$name.json" "$results/$name"-threads*.json
  echo "== $name"
  if "${jmh[@]}" -lp "$@" | grep -q '^ *param "threads"'; then
    local threads
    for threads in "${thread_counts[@]}"; do
      run_jmh "$name-threads$threads" "$threads" "$@" -p threads="$threads"
    done
  else
    run_jmh "$name" 1 "$@"
  fi
}

# One PyTorch anchor: the family it stands beside, then its script in jmh/pytorch/ (see
# jmh/pytorch/anchor.py for the JSON it writes), run on each thread count.
anchor() {
  local family="$1" script="$2" threads
  selected "$family" || selected PyTorch || return 0
  for threads in "${thread_counts[@]}"; do
    # Debian's torch runs its matrix products in the system OpenBLAS, which
    # torch.set_num_threads does not reach: without these it used every core at "1 thread".
    OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
      "$python" "jmh/pytorch/$script.py" "$threads" "$results/pytorch-$script-$threads.json" \
      | tee "$results/pytorch-$script-$threads.txt"
  done
}

small_gemm=()
if $quick; then
  small_gemm=(-p shape=64,conv)
fi
# -prof gc: bytes allocated per operation (gc.alloc.rate.norm), which the report shows; every
# family here promises reused buffers.
bench CnnTraining 'CnnTrainingBenchmark' -prof gc
bench Gemm 'GemmBenchmark' -prof gc "${small_gemm[@]}"
bench Activation 'ActivationBenchmark' -prof gc
# The same activations on the scalar twins (the benchmark class has no scalar fork of its own).
bench ActivationScalar 'ActivationBenchmark.(copy|relu|reluBackward|sigmoid|tanh|gelu|silu)$' \
  -prof gc -jvmArgsAppend '--add-modules=jdk.incubator.vector -Dnonlinear.backend=scalar'
bench ConvPool 'ConvPoolBenchmark' -prof gc
bench Layer 'LayerBenchmark' -prof gc
bench Lstm 'LstmBenchmark' -prof gc

# The anchors are skipped in quick mode: CI may lack PyTorch, and their timing loops are long.
if ! $quick; then
  if "$python" -c 'import torch' 2>/dev/null; then
    anchor CnnTraining cnn_train_step
    anchor Activation activations
    anchor Layer layers
    anchor Lstm lstm
  else
    echo "== PyTorch anchors skipped: $python cannot import torch (Debian: python3-torch)"
  fi
fi

if (( selected_count == 0 )); then
  echo "jmh/report.sh: no family or anchor name contains \"$only\"" >&2
  exit 1
fi
echo "== report"
"$java_bin" -cp jmh/target/benchmarks.jar dev.nonlinear.jmh.report.ReportMain \
  --results "$results" --command "$command" --started "$started"
