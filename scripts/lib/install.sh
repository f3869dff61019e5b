# shellcheck shell=bash
# install_if_missing PKGS CHECK_PATH [CHECK_PATH...]
#   Installs the Debian package(s) PKGS (space-separated) with apt-get unless every CHECK_PATH exists.
#   `apt-get update` runs at most once per script, and only if something is missing. Uses sudo when not
#   root. Sourced by scripts/run.sh and scripts/test.sh; the caller defines log() and die().
#   Add a dependency with one line, e.g.:
#     install_if_missing chromium /usr/bin/chromium
#     install_if_missing fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

ZP_APT_UPDATED=0
install_if_missing() {
    local pkgs="$1" path missing=0
    shift
    for path in "$@"; do
        [ -e "$path" ] || missing=1
    done
    [ "$missing" -eq 1 ] || return 0

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "need to install '$pkgs' but not root and no sudo; install it manually"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "need to install '$pkgs' but apt-get is not available"

    if [ "$ZP_APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        ZP_APT_UPDATED=1
    fi
    log "installing $pkgs"
    # shellcheck disable=SC2086 # PKGS is intentionally word-split
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs

    for path in "$@"; do
        [ -e "$path" ] || die "installed '$pkgs' but $path is still missing"
    done
}
