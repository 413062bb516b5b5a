#!/usr/bin/env bash
# Prints the apt sources (`deb <uri> <suite> main` lines) of Debian bookworm, its updates and
# its security fixes, as this machine's apt resolved them: what the images made here install
# from (the base's debootstrap, the stand-ins' packages), never written into the repo or an image.
set -euo pipefail
repos=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT) $(ORIGIN)' 'Identifier: Packages' \
  | awk '$2 ~ /^bookworm(-updates|-security)?$/ && $3 == "main" && $4 ~ /^Debian/ { print $1, $2 }' | sort -u)
awk '$2 == "bookworm" { found = 1 } END { exit !found }' <<<"$repos" \
  || { printf '[container] error: apt has no Debian bookworm main repository configured (apt-get update first?)\n' >&2; exit 1; }
awk '{ print "deb", $1, $2, "main" }' <<<"$repos"
