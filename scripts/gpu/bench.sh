#!/usr/bin/env bash
# Runs ON the GPU machine, from the repo root, with .gpu/ (scripts/gpu/pack.sh) and .gl/ carried (docs/gpu.md):
#
#   bash scripts/gpu/bench.sh
#
# 1. brings the Vulkan loader from .gl/*.deb when libvulkan.so.1 is missing, points Vulkan at NVIDIA's ICD;
# 2. unpacks Node and the toolkit from .gpu/ into /tmp/gan-gpu (no network, no npm);
# 3. prints nvidia-smi -L and vulkaninfo --summary (when present), runs `gan doctor --json` and fails loudly unless
#    webgpu starts on a hardware adapter;
# 4. in the same run, on the same GPU: the PyTorch CUDA peer of the reference DCGAN step
#    (scripts/peers/dcgan_torch.py --device cuda), `gan bench --backend webgpu --json` and a `--profile` run;
# 5. prints one line: webgpu img/s / PyTorch CUDA img/s.
#
# Files written to $OUT (default /tmp/gan-gpu-out): log.txt (everything printed), doctor.json, torch-cuda.json,
# webgpu.json, webgpu-profile.json, summary.json. A part that fails is reported and the others still run; the exit
# status is then 1. Everything is bounded by GPU_BENCH_BUDGET_S (default 480 s) so the run ends well inside 10 min.
#
# Settings (environment):
#   GPU_BENCH_STEPS=50            timed DCGAN steps of the webgpu bench
#   GPU_BENCH_PROFILE_STEPS=10    timed steps of the --profile run (its profile covers one extra step)
#   GPU_BENCH_EXTRAS=1            0: pass --no-extras (no ring MLP GAN, no sampling figure)
#   GPU_PEER_STEPS=200            timed steps of the PyTorch peer
#   GPU_BENCH_ALLOW_SOFTWARE=0    1: bench webgpu even on a software adapter (lavapipe; local tests only)
#   GPU_BENCH_BUDGET_S=480        wall-clock budget for doctor + peer + both benches
#   GPU_BENCH_TIMEOUTS="90 150 240 120"  per-part caps in s: doctor, peer, webgpu bench, profile run (local tests on
#                                 lavapipe need more: ~60 s per step there)
#   GPU_BENCH_GL=auto             1: always unpack .gl/*.deb into /; 0: never; auto: only when libvulkan.so.1 is missing
#   GPU_BENCH_DIR=/tmp/gan-gpu    where the bundle is unpacked
#   GPU_BENCH_PYTHON=python3      the Python that has PyTorch with CUDA
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OUT=${OUT:-/tmp/gan-gpu-out}
mkdir -p "$OUT"
STEPS=${GPU_BENCH_STEPS:-50}
PROFILE_STEPS=${GPU_BENCH_PROFILE_STEPS:-10}
EXTRAS=${GPU_BENCH_EXTRAS:-1}
PEER_STEPS=${GPU_PEER_STEPS:-200}
ALLOW_SOFTWARE=${GPU_BENCH_ALLOW_SOFTWARE:-0}
BUDGET=${GPU_BENCH_BUDGET_S:-480}
GL=${GPU_BENCH_GL:-auto}
DEST=${GPU_BENCH_DIR:-/tmp/gan-gpu}
PYTHON=${GPU_BENCH_PYTHON:-python3}
read -r T_DOCTOR T_PEER T_WEBGPU T_PROFILE <<<"${GPU_BENCH_TIMEOUTS:-90 150 240 120}"
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
NV_EGL=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json

FAILED=()
fail() { FAILED+=("$1"); printf '\n!!! FAILED: %s: %s\n\n' "$1" "$2"; }
section() { printf '\n=== %s (t=%ss)\n' "$*" "$SECONDS"; }
# Seconds a part may take: its cap, clipped to what is left of the budget.
allow() { local left=$((BUDGET - SECONDS)); ((left < $1)) && echo "$left" || echo "$1"; }
# The last line of a file that starts with '{' (the JSON line of `gan ... --json` and of the peer).
last_json() { grep '^{' "$1" | tail -n 1; }

gl_loaders() {
  section "Vulkan loader"
  local have=0
  # (grep without -q: with pipefail, -q's early exit can fail the pipeline through ldconfig's SIGPIPE)
  ldconfig -p 2>/dev/null | grep 'libvulkan\.so\.1' >/dev/null && have=1
  if [[ $GL == 1 || ($GL == auto && $have == 0) ]]; then
    if ! compgen -G '.gl/*.deb' >/dev/null; then
      echo "libvulkan.so.1 is missing and .gl/ holds no .debs: run scripts/gpu/pack.sh here and carry .gl"
    elif [[ $(id -u) != 0 ]]; then
      echo "libvulkan.so.1 is missing and this user is not root: cannot unpack .gl/*.deb into /"
    else
      for f in .gl/*.deb; do dpkg -x "$f" /; done
      ldconfig
      echo "unpacked into /: $(cd .gl && ls *.deb | tr '\n' ' ')"
    fi
  else
    echo "libvulkan.so.1 is present; .gl/ not unpacked (GPU_BENCH_GL=$GL)"
  fi
  ldconfig -p 2>/dev/null | grep -E 'libvulkan\.so|libGLX_nvidia|libnvidia-vulkan|libEGL_nvidia' || echo "(ldconfig lists no libvulkan/nvidia GL libraries)"
  if [[ -z ${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-} && -f $NV_ICD ]]; then
    export VK_DRIVER_FILES=$NV_ICD VK_ICD_FILENAMES=$NV_ICD
    [[ -f $NV_EGL ]] && export __EGL_VENDOR_LIBRARY_FILENAMES=$NV_EGL
    echo "VK_DRIVER_FILES=$NV_ICD"
    cat "$NV_ICD" || true
  fi
  echo "ICD files: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>/dev/null | tr '\n' ' ')"
}

diagnostics() {
  section "GPU"
  echo "host: $(uname -srm); $(nproc) CPUs"
  [[ -f .gpu/MANIFEST.txt ]] && sed 's/^/bundle: /' .gpu/MANIFEST.txt
  if command -v nvidia-smi >/dev/null 2>&1; then
    timeout 30 nvidia-smi -L || true
    timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv || true
  else
    echo "nvidia-smi: not installed"
  fi
  if command -v vulkaninfo >/dev/null 2>&1; then
    timeout 60 vulkaninfo --summary 2>&1 || echo "vulkaninfo --summary failed"
  else
    echo "vulkaninfo: not installed"
  fi
}

# Runs the bundled gan from the unpacked app folder; stdout to $1, stderr to the log.
gan() {
  local out=$1 secs=$2; shift 2
  (cd "$DEST/app" && timeout --kill-after=10 "$secs" "$NODE" bin/gan.js "$@") >"$out"
}

doctor() {
  section "gan doctor --json"
  local raw=$DEST/doctor.out
  if ! gan "$raw" "$(allow "$T_DOCTOR")" doctor --json; then
    cat "$raw"; fail doctor "gan doctor exited non-zero"; return 1
  fi
  last_json "$raw" >"$OUT/doctor.json"
  # Prints the table, then HARDWARE, SOFTWARE or NONE for webgpu on the last line.
  "$NODE" -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const b of d.backends) console.log(`${b.name.padEnd(10)} installed=${b.installed} starts=${b.initializes} device=${b.device ?? "-"}${b.reason ? ` (${b.reason})` : ""}`);
    console.log(`auto picks: ${d.auto} (${d.autoDevice})`);
    const w = d.backends.find((b) => b.name === "webgpu");
    console.log(!w.initializes ? "NONE" : w.eligibleForAuto ? "HARDWARE" : "SOFTWARE");' "$OUT/doctor.json" | tee "$DEST/doctor.txt"
  WEBGPU=$(tail -n 1 "$DEST/doctor.txt")
}

webgpu_ready() {
  doctor || return 1
  if [[ $WEBGPU != HARDWARE && ${VK_DRIVER_FILES:-} == "$NV_ICD" ]]; then
    echo "webgpu: no hardware adapter with VK_DRIVER_FILES=$NV_ICD; trying again with the loader's default ICD search"
    unset VK_DRIVER_FILES VK_ICD_FILENAMES
    doctor || return 1
  fi
  if [[ $WEBGPU == HARDWARE ]]; then return 0; fi
  cat <<EOF

!!! webgpu did not start on a hardware adapter (doctor says: $WEBGPU; see its webgpu row above).
!!! Dawn (the 'webgpu' package) found $([[ $WEBGPU == SOFTWARE ]] && echo 'only a software adapter (lavapipe/llvmpipe/SwiftShader)' || echo 'no usable adapter').
!!! Vulkan environment: VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-unset} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-unset}
!!! Check above: ldconfig's libvulkan.so.1 and libGLX_nvidia.so.0 lines, the ICD files, vulkaninfo --summary.
EOF
  if [[ $ALLOW_SOFTWARE == 1 ]]; then
    fail webgpu-hardware "no hardware adapter; benching the $WEBGPU adapter anyway (GPU_BENCH_ALLOW_SOFTWARE=1)"
    [[ $WEBGPU == SOFTWARE ]]
  else
    fail webgpu-hardware "no hardware adapter; webgpu benches skipped (GPU_BENCH_ALLOW_SOFTWARE=1 runs them anyway)"
    return 1
  fi
}

peer() {
  section "PyTorch peer: $PYTHON scripts/peers/dcgan_torch.py --device cuda --steps $PEER_STEPS --json"
  local raw=$DEST/torch.out secs
  secs=$(allow "$T_PEER")
  if ((secs < 15)); then fail torch-cuda "no time left in the ${BUDGET} s budget"; return; fi
  if ! command -v "$PYTHON" >/dev/null 2>&1; then fail torch-cuda "$PYTHON is not installed"; return; fi
  if PYTHONUNBUFFERED=1 timeout --kill-after=10 "$secs" "$PYTHON" scripts/peers/dcgan_torch.py --device cuda --steps "$PEER_STEPS" --json >"$raw" \
      && [[ -n $(last_json "$raw") ]]; then
    cat "$raw"
    last_json "$raw" >"$OUT/torch-cuda.json"
  else
    cat "$raw" 2>/dev/null || true
    fail torch-cuda "the PyTorch CUDA peer failed (exit or no JSON line; its error is above)"
  fi
}

webgpu_bench() { # webgpu_bench NAME CAP FLAGS...
  local name=$1 cap=$2; shift 2
  section "gan bench --backend webgpu $*"
  local raw=$DEST/$name.out secs
  secs=$(allow "$cap")
  if ((secs < 15)); then fail "$name" "no time left in the ${BUDGET} s budget"; return; fi
  if gan "$raw" "$secs" bench --backend webgpu "$@" --json && [[ -n $(last_json "$raw") ]]; then
    last_json "$raw" >"$OUT/$name.json"
    "$NODE" -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), d = r.dcgan;
      console.log(`dcgan (batch ${d.batchSize}, ${r.backend}, ${r.device}): ${d.medianMs} ms/step, ${d.imgPerS} img/s (median of ${d.stepsMs.length}); ${d.cpuMsPerStep} ms CPU time/step`);
      console.log(`  numTensors ${d.numTensorsBefore} -> ${d.numTensorsAfter}; RSS ${d.rssAtStepMiB} -> ${d.rssEndMiB} MiB; peak ${r.peakRssMiB} MiB`);
      if (r.ring) console.log(`ring-8 MLP GAN: ${r.ring.stepsPerS} steps/s`);
      if (r.sample) console.log(`sampling G (batch ${r.sample.batchSize}): ${r.sample.imgPerS} img/s`);
      if (r.profile) for (const k of r.profile) console.log(`  ${k.kernel.padEnd(22)} ${String(k.ms).padStart(9)} ms  ${k.calls} calls`);' "$OUT/$name.json"
  else
    local rc=$?
    cat "$raw" 2>/dev/null || true
    fail "$name" "gan bench exited $rc$([[ $rc == 124 || $rc == 137 ]] && echo " (timed out after ${secs} s)") or printed no JSON"
  fi
}

summary() {
  section "summary"
  "$NODE" -e '
    const fs = require("fs"), [out, failed] = process.argv.slice(1);
    const read = (f) => { try { return JSON.parse(fs.readFileSync(`${out}/${f}`, "utf8")); } catch { return null; } };
    const w = read("webgpu.json"), t = read("torch-cuda.json"), doc = read("doctor.json");
    const s = {
      webgpu: w && { imgPerS: w.dcgan.imgPerS, medianMs: w.dcgan.medianMs, steps: w.dcgan.stepsMs.length, device: w.device },
      torchCuda: t && { imgPerS: t.img_per_s, msPerStep: t.ms_per_step, steps: Number(process.env.PEER_STEPS), gpu: t.gpu, torch: t.version },
      ratio: w && t ? Math.round((w.dcgan.imgPerS / t.img_per_s) * 1000) / 1000 : null,
      webgpuAdapter: doc ? (doc.backends.find((b) => b.name === "webgpu") || {}).device ?? null : null,
      failed: failed ? failed.split(" ") : [],
    };
    fs.writeFileSync(`${out}/summary.json`, JSON.stringify(s, null, 2) + "\n");
    const f = (x) => (x ? `${x.imgPerS} img/s` : "n/a");
    console.log(`RATIO webgpu/pytorch-cuda = ${s.ratio ?? "n/a"}  (webgpu ${f(s.webgpu)} on ${s.webgpu?.device ?? s.webgpuAdapter ?? "?"}; PyTorch CUDA ${f(s.torchCuda)} on ${s.torchCuda?.gpu ?? "?"}; DCGAN step, batch ${w?.dcgan.batchSize ?? t?.batch ?? 64})`);' \
    "$OUT" "${FAILED[*]:-}"
}

main() {
  echo "scripts/gpu/bench.sh $(date -u +%Y-%m-%dT%H:%M:%SZ): OUT=$OUT steps=$STEPS profile-steps=$PROFILE_STEPS extras=$EXTRAS peer-steps=$PEER_STEPS budget=${BUDGET}s"
  gl_loaders
  section "unpack .gpu -> $DEST"
  # shellcheck source=unpack.sh
  source "$ROOT/scripts/gpu/unpack.sh"
  if ! unpack_bundle "$ROOT/.gpu" "$DEST"; then
    fail bundle "could not unpack .gpu (carry .gpu, made by scripts/gpu/pack.sh)"
    diagnostics
    peer
    printf '\nFAILED parts: %s\n' "${FAILED[*]}"
    return 1
  fi
  NODE=$DEST/node
  export PATH=$DEST:$PATH
  export XDG_RUNTIME_DIR=$DEST/xdg
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  echo "node $("$NODE" --version) at $NODE"
  diagnostics
  local webgpu_ok=0
  webgpu_ready && webgpu_ok=1
  peer
  if ((webgpu_ok)); then
    local extras=()
    [[ $EXTRAS == 0 ]] && extras=(--no-extras)
    webgpu_bench webgpu "$T_WEBGPU" --steps "$STEPS" "${extras[@]}"
    webgpu_bench webgpu-profile "$T_PROFILE" --steps "$PROFILE_STEPS" --no-extras --profile
  fi
  PEER_STEPS=$PEER_STEPS summary
  if ((${#FAILED[@]})); then
    printf '\nFAILED parts: %s (files in %s: %s)\n' "${FAILED[*]}" "$OUT" "$(cd "$OUT" && ls | tr '\n' ' ')"
    return 1
  fi
  printf '\nall parts ok (files in %s: %s)\n' "$OUT" "$(cd "$OUT" && ls | tr '\n' ' ')"
}

# The parts check their own failures and the run goes on past them (errexit would stop at the first), so main runs
# without -e; -u and pipefail stay on.
set +e
main "$@" 2>&1 | tee "$OUT/log.txt"
exit "${PIPESTATUS[0]}"
