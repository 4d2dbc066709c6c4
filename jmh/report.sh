#!/usr/bin/env bash
# Builds the benchmarks and runs the report set, each kernel beside its scalar twin and its
# outside anchor, one JMH run per family; JMH's JSON goes to jmh/results/, the PyTorch anchors'
# output (when Debian's python3-torch is installed) beside it. jmh/RESULTS.md quotes these.
#   jmh/report.sh            the full set (about 15 minutes on 2 cores)
#   jmh/report.sh Gemm       only the families whose name contains "Gemm"
#   jmh/report.sh --quick    every benchmark once, briefly, on small sizes: proves they run (CI);
#                            its numbers mean nothing and go to jmh/results/quick/
# Run the full set on a quiet machine: ratios only mean something when both sides ran under
# the same load.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
required=25
# shellcheck source=../scripts/java25.sh
source "$root/scripts/java25.sh"
java_bin="$(find_java)"

quick=false
if [[ "${1:-}" == "--quick" ]]; then
  quick=true
  shift
fi
only="${1:-}"
results="$root/jmh/results"
timing=(-f 1 -wi 3 -i 5 -w 1 -r 1)
if $quick; then
  results="$root/jmh/results/quick"
  # -foe: a benchmark that throws fails the run.
  timing=(-f 1 -wi 0 -i 1 -w 100ms -r 100ms -foe true)
fi
mkdir -p "$results"

(cd "$root" && mvn -q -B -DskipTests package -pl jmh -am)

# One JMH run: a name, then JMH arguments.
bench() {
  local name="$1"
  shift
  [[ -z "$only" || "$name" == *"$only"* ]] || return 0
  echo "== $name"
  OPENBLAS_NUM_THREADS=1 "$java_bin" --add-modules jdk.incubator.vector \
    -jar "$root/jmh/target/benchmarks.jar" "$@" "${timing[@]}" \
    -rf json -rff "$results/$name.json" | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)'
}

small_gemm=()
if $quick; then
  small_gemm=(-p shape=64,conv)
fi
bench CnnTraining 'CnnTrainingBenchmark' -p threads=1,2
bench Gemm 'GemmBenchmark' -p threads=1 "${small_gemm[@]}"
bench GemmThreads 'GemmBenchmark.(vector|openblas)$' -p shape=1024 -p threads=2
bench Activation 'ActivationBenchmark'
# The same activations on the scalar twins (the benchmark class has no scalar fork of its own).
bench ActivationScalar 'ActivationBenchmark.(copy|relu|reluBackward|sigmoid|tanh|gelu|silu)$' \
  -jvmArgsAppend '--add-modules=jdk.incubator.vector -Dnonlinear.backend=scalar'
bench ConvPool 'ConvPoolBenchmark'
bench Layer 'LayerBenchmark'
bench Lstm 'LstmBenchmark'

$quick && exit 0
python=/usr/bin/python3
if [[ -z "$only" || "PyTorch" == *"$only"* ]]; then
  if "$python" -c 'import torch' 2>/dev/null; then
    echo "== PyTorch anchors"
    "$python" "$root/jmh/pytorch/cnn_train_step.py" 1 | tee "$results/pytorch-cnn-1.txt"
    "$python" "$root/jmh/pytorch/cnn_train_step.py" 2 | tee "$results/pytorch-cnn-2.txt"
    "$python" "$root/jmh/pytorch/activations.py" | tee "$results/pytorch-activations.txt"
    "$python" "$root/jmh/pytorch/layers.py" 1 | tee "$results/pytorch-layers.txt"
    "$python" "$root/jmh/pytorch/lstm.py" 1 | tee "$results/pytorch-lstm.txt"
  else
    echo "== PyTorch anchors skipped: $python cannot import torch (Debian: python3-torch)"
  fi
fi
