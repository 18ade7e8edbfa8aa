# Sourced by scripts/gpu/bench.sh (on the GPU machine) and scripts/gpu/pack.sh (to verify the bundle here).
# unpack_bundle SRC DEST: unpacks SRC/node.xz to DEST/node and SRC/app.tar.xz to DEST/app.
# Uses xz and tar when present, else Python's lzma/tarfile (the GPU machine always has python3).

unpack_bundle() {
  local src=$1 dest=$2
  if [[ ! -f $src/node.xz || ! -f $src/app.tar.xz ]]; then
    echo "unpack: $src/node.xz or $src/app.tar.xz is missing: run scripts/gpu/pack.sh first (and carry .gpu)" >&2
    return 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  if command -v xz >/dev/null 2>&1 && tar --version >/dev/null 2>&1; then
    xz -dc "$src/node.xz" >"$dest/node" || { echo "unpack: xz failed on $src/node.xz" >&2; return 1; }
    # (a subshell with pipefail: a truncated .xz must fail the unpack even if tar reads what came through)
    (set -o pipefail; xz -dc "$src/app.tar.xz" | tar -C "$dest" -xf -) || { echo "unpack: $src/app.tar.xz failed" >&2; return 1; }
  else
    python3 - "$src" "$dest" <<'PY' || { echo "unpack: python3 could not unpack $src" >&2; return 1; }
import lzma, shutil, sys, tarfile
src, dest = sys.argv[1], sys.argv[2]
with lzma.open(f"{src}/node.xz") as f, open(f"{dest}/node", "wb") as o:
    shutil.copyfileobj(f, o)
with tarfile.open(f"{src}/app.tar.xz", "r:xz") as t:
    if hasattr(tarfile, "data_filter"):
        t.extractall(dest, filter="data")
    else:
        t.extractall(dest)
PY
  fi
  chmod 755 "$dest/node" || return 1
  if [[ -f $src/SHA256SUMS ]]; then
    # The sums cover the unpacked node binary and dawn.node: a truncated carry shows here, not as a crash later.
    (cd "$dest" && sha256sum --quiet -c "$src/SHA256SUMS") || { echo "unpack: checksum mismatch in $dest" >&2; return 1; }
  fi
}
