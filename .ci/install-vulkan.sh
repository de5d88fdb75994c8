#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) and the Vulkan loader on Debian 12, from
# bookworm-backports: Dawn rejects bookworm's own Mesa 22.x and would fall back to its Null backend.
# Idempotent; needs root (or sudo).
set -euo pipefail
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
if dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '~bpo12'; then
  echo "lavapipe from bookworm-backports is installed: $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
  exit 0
fi
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo 'deb http://deb.debian.org/debian bookworm-backports main' | $sudo tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
echo "installed lavapipe: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
