#!/usr/bin/env bash
# Installs the tools that some tests and the "real Jupyter" front end use, from Debian/Ubuntu packages, then registers
# the course's Jupyter kernel for this user (environment/register-kernel.sh):
#   chromium            headless browser: checks that executed chapters draw their charts offline
#   jupyter-nbconvert,  Jupyter's own machinery, to execute chapters with the .NET kernel
#   python3-nbclient,
#   python3-ipykernel,
#   jupyter-client      (its `jupyter kernelspec`, to register and list kernels)
#   python3-torch       PyTorch 1.13 (CPU): the tests of interop/pytorch/ (the mirror, weights both ways, torchrun)
# Idempotent: installs only what is missing. Needs root (or sudo) and apt; elsewhere it says what to install.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v jupyter-nbconvert >/dev/null 2>&1 || need+=(jupyter-nbconvert)
python3 -c 'import nbclient' >/dev/null 2>&1 || /usr/bin/python3 -c 'import nbclient' >/dev/null 2>&1 || need+=(python3-nbclient)
/usr/bin/python3 -c 'import ipykernel' >/dev/null 2>&1 || need+=(python3-ipykernel)
command -v jupyter-kernelspec >/dev/null 2>&1 || need+=(jupyter-client)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-tools: chromium, jupyter and python3-torch are present"
  exec "$here/register-kernel.sh"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-tools: no apt-get here; install these yourself: ${need[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-tools: done"
"$here/register-kernel.sh"
