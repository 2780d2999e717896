#!/usr/bin/env bash
# Executes chapters through Jupyter's own machinery (nbconvert + nbclient) with the .NET (C#) kernel of the pinned
# dotnet-interactive tool, and renders each executed chapter as HTML.
#
#   environment/run-in-jupyter.sh OUTDIR notebooks/01-color-spaces.ipynb [more.ipynb ...]
#
# Writes OUTDIR/NAME.ipynb (executed) and OUTDIR/NAME.html. Knob overrides pass through the environment as in
# any headless run: SPLITBRAIN_SET='{"PriorImages": 250}'. Needs: jupyter-nbconvert and python3-nbclient
# (environment/install-tools.sh installs them). Exit code 3 when they are missing.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OUTDIR NOTEBOOK.ipynb..." >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
shift
if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
  echo "run-in-jupyter: jupyter-nbconvert is not installed: run environment/install-tools.sh" >&2
  exit 3
fi

cd "$root"
# The kernel: the pinned dotnet-interactive tool, registered with Jupyter once per user.
"$root/environment/register-kernel.sh" >/dev/null
# The chapters load the library from artifacts/lib/.
dotnet build SplitBrain.Lib.csproj -nologo -v quiet >/dev/null

for notebook in "$@"; do
  name=$(basename "$notebook" .ipynb)
  echo "run-in-jupyter: $name"
  # The kernel starts in the notebook's folder, where relative paths (#r "../artifacts/lib/...") resolve,
  # and finds the tool manifest above it.
  jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=1800 \
    --output-dir "$out" --output "$name" "$notebook"
  jupyter nbconvert --to html --output-dir "$out" --output "$name" "$out/$name.ipynb"
done
