#!/usr/bin/env bash
# Registers the course's Jupyter kernel, ".NET (C#)" of the pinned dotnet-interactive tool (dotnet-tools.json), for this
# user. Works on a machine where Jupyter has never run: dotnet-interactive installs into Jupyter's user kernel folder but
# does not create it ("The kernelspec path ... does not exist"), so this creates the folder Jupyter itself reports.
# Idempotent. environment/install-tools.sh and environment/run-in-jupyter.sh call it.
#   environment/register-kernel.sh
# Exit codes: 0 registered (now or before), 3 Jupyter is not installed, 1 the registration failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v jupyter >/dev/null 2>&1; then
  echo "register-kernel: jupyter is not installed: run environment/install-tools.sh" >&2
  exit 3
fi
# The list is read whole before grep: under pipefail, 'jupyter ... | grep -q' fails whenever grep stops at the first
# match and jupyter is still writing (SIGPIPE), a race that reported a registered kernel as missing on CI.
registered() { local list; list=$(jupyter kernelspec list 2>/dev/null || true); grep -q '^ *\.net-csharp ' <<<"$list"; }

cd "$root"
dotnet tool restore >/dev/null
if registered; then
  echo "register-kernel: the .NET (C#) kernel is registered"
  exit 0
fi
mkdir -p "$(jupyter --data-dir)/kernels"
dotnet interactive jupyter install
if ! registered; then
  echo "register-kernel: 'dotnet interactive jupyter install' did not register .net-csharp; 'jupyter kernelspec list' shows:" >&2
  jupyter kernelspec list >&2 || true
  exit 1
fi
echo "register-kernel: registered the .NET (C#) kernel in $(jupyter --data-dir)/kernels"
