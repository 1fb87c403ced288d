#!/usr/bin/env bash
# Make sure everything `make demo` / `make test` need is installed.
# As root: installs what is missing with apt-get.  Otherwise: says exactly
# what to install and fails.
#
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh fuzz     also clang and its libFuzzer/sanitizer runtime
set -euo pipefail

PGV=15
PGLIB=/usr/lib/postgresql/$PGV
missing=()

have_pkg_file() { [ -e "$1" ]; }

have_pkg_file "$PGLIB/bin/initdb"                          || missing+=("postgresql-$PGV")
have_pkg_file "$PGLIB/lib/pgxs/src/makefiles/pgxs.mk"      || missing+=("postgresql-server-dev-$PGV")
have_pkg_file "/usr/share/postgresql/$PGV/extension/pgtap.control" || missing+=("postgresql-$PGV-pgtap")
command -v pg_prove >/dev/null 2>&1                        || missing+=("libtap-parser-sourcehandler-pgtap-perl")
command -v prove >/dev/null 2>&1                           || missing+=("perl")
command -v pkg-config >/dev/null 2>&1                      || missing+=("pkg-config")
pkg-config --exists icu-uc icu-i18n 2>/dev/null            || missing+=("libicu-dev")
command -v gcc >/dev/null 2>&1                             || missing+=("gcc")
command -v runuser >/dev/null 2>&1                         || missing+=("util-linux")
command -v msgfmt >/dev/null 2>&1                          || missing+=("gettext")
# the zh_CN message catalogue is tested under lc_messages = zh_CN.UTF-8
need_locale=false
locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' || need_locale=true
if $need_locale && ! [ -f /usr/sbin/locale-gen ]; then missing+=("locales"); fi
if [ "${1:-}" = fuzz ]; then
    command -v clang >/dev/null 2>&1                       || missing+=("clang")
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
        || missing+=("libclang-rt-dev")
fi

gen_locale() {
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
    locale-gen >/dev/null
}

[ ${#missing[@]} -eq 0 ] && ! $need_locale && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ ${#missing[@]} -gt 0 ]; then
        echo "deps: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if $need_locale; then
        echo "deps: generating the zh_CN.UTF-8 locale"
        gen_locale
    fi
    exit 0
fi
if [ ${#missing[@]} -eq 0 ]; then
    cat >&2 <<MSG
credit: the zh_CN.UTF-8 locale is missing (the Chinese messages are tested under it).
Generate it with:

    echo 'zh_CN.UTF-8 UTF-8' | sudo tee -a /etc/locale.gen && sudo locale-gen

then run the make command again.
MSG
    exit 1
fi

cat >&2 <<MSG
credit: missing build/test dependencies: ${missing[*]}
Install them (Debian/Ubuntu) with:

    sudo apt-get install ${missing[*]}

then run the make command again.  (Run as root and this script installs them itself.)
MSG
exit 1
