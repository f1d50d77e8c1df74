#!/usr/bin/env bash
# The bodies of the example's build, e2e-tests and security-scan jobs when the end-to-end tests
# run examples/ci-cd.yml under act on a machine without Docker (test/e2e/caller.ts puts a call
# of this script in place of each job's steps). Each sets the outputs its job declares.
#
#   build          stages each image of E2E_IMAGES ("name oci:<layout>:<tag>" lines), built by
#                  the test, with skopeo into E2E_STAGING_PREFIX/<name>:sha-<commit> as the
#                  build would with docker buildx --push, logged in as the job's actor with its
#                  token; writes staged-images, server-image, credentials-image, clients-artifact
#   e2e-tests      checks that the staged server image pulls from staging with the job's token,
#                  then succeeds or fails as E2E_TESTS_OUTCOME says
#   security-scan  succeeds or fails as E2E_SCAN_OUTCOME says
#
# Job inputs (from the job's env:): STAGING_USER, STAGING_TOKEN, SHA; e2e-tests: IMAGE.
set -euo pipefail

authfile() {
  local registry=$1 file
  file=$(mktemp)
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$registry" "$(printf '%s:%s' "$STAGING_USER" "$STAGING_TOKEN" | base64 -w0)" >"$file"
  echo "$file"
}

case "$1" in
build)
  registry=${E2E_STAGING_PREFIX%%/*}
  auth=$(authfile "$registry")
  trap 'rm -f "$auth"' EXIT
  staged=()
  server=
  credentials=
  while read -r name layout; do
    [ -n "$name" ] || continue
    digestfile=$(mktemp)
    skopeo --insecure-policy copy --quiet --all --preserve-digests --dest-tls-verify=false --dest-authfile "$auth" \
      --digestfile "$digestfile" "$layout" "docker://$E2E_STAGING_PREFIX/$name:sha-$SHA"
    ref="$E2E_STAGING_PREFIX/$name@$(cat "$digestfile")"
    rm -f "$digestfile"
    echo "staged $ref"
    # As the example lists them: by digest, with this run's tag (see examples/ci-cd.yml).
    staged+=("${ref/@/:sha-$SHA@}")
    case "$name" in
    webauthn-server) server=$ref ;;
    test-credentials-service) credentials=$ref ;;
    esac
  done <<<"$E2E_IMAGES"
  {
    echo "server-image=$server"
    echo "credentials-image=$credentials"
    echo "staged-images<<ghadelimiter_staged"
    printf '%s\n' "${staged[@]}"
    echo "ghadelimiter_staged"
    # The fixture client needs no build: the stage gate publishes it from the checkout.
    echo "clients-artifact="
  } >>"$GITHUB_OUTPUT"
  ;;
e2e-tests)
  registry=${IMAGE%%/*}
  auth=$(authfile "$registry")
  trap 'rm -f "$auth"' EXIT
  skopeo --insecure-policy inspect --raw --tls-verify=false --authfile "$auth" "docker://$IMAGE" >/dev/null
  echo "the staged image $IMAGE pulls; tests: $E2E_TESTS_OUTCOME"
  [ "$E2E_TESTS_OUTCOME" = success ]
  ;;
security-scan)
  echo "scan: $E2E_SCAN_OUTCOME"
  [ "$E2E_SCAN_OUTCOME" = success ]
  ;;
*)
  echo "stand-ins.sh: unknown job $1" >&2
  exit 2
  ;;
esac
