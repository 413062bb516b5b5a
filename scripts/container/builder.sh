# Sourced by the image scripts: sets `build`, the command that builds a Dockerfile with BuildKit
# (the Dockerfiles use RUN --mount), or stops. buildx when the client has it, else a client older
# than 23.0, which has BuildKit built in (Debian's docker.io, 20.10, in /usr/bin; a newer client
# first on PATH without buildx would build with the legacy builder, which cannot).
if docker buildx version >/dev/null 2>&1; then build=(docker buildx build --load)
else
  build=()
  for client in $(type -ap docker); do
    major=$("$client" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    if [ -n "$major" ] && [ "$major" -lt 23 ]; then build=(env DOCKER_BUILDKIT=1 "$client" build); break; fi
  done
  [ ${#build[@]} -gt 0 ] || { printf '[container] error: building needs BuildKit: install docker buildx\n' >&2; exit 1; }
fi
