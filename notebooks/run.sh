#!/usr/bin/env bash
# Executes every notebook headless with the Rust kernel (evcxr), into target/notebooks
# (never in place), and fails if any cell failed: nbconvert exits 0 when a Rust cell
# panics or returns an error at run time, so the executed notebooks are inspected too.
#
# On a fresh machine it first installs what it needs: Jupyter with nbconvert (PyPI) and
# the evcxr Jupyter kernel (crates.io), built without optimisations: the kernel only
# drives rustc, which compiles the notebooks' code with its own settings, and an
# optimised build took 51 of CI's 76 minutes on a busy 2-core machine (measured here on
# 2 cores beside other builds: 13 min 52 s optimised, 4 min 3 s unoptimised).
# Later runs reuse the kernel and the compiled crates under target/evcxr.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

EVCXR_VERSION=0.22.0

if ! python3 -c "import nbconvert, nbclient, jupyter_client" 2>/dev/null; then
  echo "== installing Jupyter and nbconvert"
  python3 -m pip install --quiet --disable-pip-version-check "nbconvert>=7" "nbclient>=0.10" "jupyter_client>=8" "ipykernel>=6"
fi
if ! command -v evcxr_jupyter >/dev/null 2>&1; then
  echo "== building the Rust kernel (evcxr_jupyter $EVCXR_VERSION, unoptimised, a few minutes once)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install evcxr_jupyter --locked --version "$EVCXR_VERSION"
fi
if ! python3 -m jupyter kernelspec list 2>/dev/null | grep -q "^ *rust "; then
  evcxr_jupyter --install
fi

export EVCXR_TMPDIR="$root/target/evcxr"
mkdir -p "$EVCXR_TMPDIR" target/notebooks
for notebook in notebooks/*.ipynb; do
  echo "== $notebook"
  python3 -m jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=rust \
    --ExecutePreprocessor.timeout=1200 \
    --output-dir target/notebooks "$notebook"
done

python3 - target/notebooks/*.ipynb <<'PY'
import json, sys

failed = False
for path in sys.argv[1:]:
    with open(path) as f:
        notebook = json.load(f)
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            text = ""
            if output.get("output_type") == "error":
                text = output.get("ename", "") + ": " + output.get("evalue", "")
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                stderr = "".join(output.get("text", ""))
                if "panicked" in stderr or "error" in stderr.lower():
                    text = stderr
            if text:
                failed = True
                print(f"{path}: cell {index} failed:\n{text.strip()[:2000]}\n", file=sys.stderr)
    if not any(cell.get("outputs") for cell in notebook["cells"] if cell["cell_type"] == "code"):
        failed = True
        print(f"{path}: no cell produced any output", file=sys.stderr)
if failed:
    sys.exit(1)
print(f"notebooks: {len(sys.argv) - 1} passed, 0 failed")
PY
