#!/usr/bin/env bash
# Executes every notebook headless with the Rust kernel (evcxr), into target/notebooks
# (never in place), and fails if any cell failed: nbconvert exits 0 when a Rust cell
# panics or returns an error at run time, so the executed notebooks are inspected too.
#
# On a fresh machine it first installs what it needs: Jupyter with nbconvert (PyPI) and
# the evcxr Jupyter kernel (crates.io). An optimised build of the kernel took 51 of CI's
# 76 minutes on a busy 2-core machine; an unoptimised one runs the notebooks three times
# slower (rust-analyzer parses and expands macros in every cell). So it is built
# unoptimised except for the crates where a profile of the running kernel spends its
# time (the parser, syntax trees, token trees, hash maps, salsa): measured here on 2
# cores beside other work, 325 s of CPU to build instead of 666 s, and notebook 02 in
# 270 s instead of 253 s (unoptimised: 182 s to build, about 590 s for notebook 02).
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
  echo "== building the Rust kernel (evcxr_jupyter $EVCXR_VERSION, its hot crates optimised, once)"
  profile=(--config profile.release.opt-level=0 --config profile.release.codegen-units=256
           --config profile.release.lto=false --config profile.release.debug=false)
  for hot in rowan ra_ap_parser ra_ap_syntax ra_ap_tt ra_ap_span ra_ap_syntax-bridge ra_ap_mbe \
             ra_ap_rustc_lexer ra_ap_intern ra_ap_hir_expand ra_ap_hir_def text-size hashbrown \
             salsa indexmap rustc-hash; do
    profile+=(--config "profile.release.package.\"$hot\".opt-level=2")
  done
  cargo install "${profile[@]}" evcxr_jupyter --locked --version "$EVCXR_VERSION"
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
