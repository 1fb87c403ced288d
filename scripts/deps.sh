#!/usr/bin/env bash
# Make sure everything `make demo` / `make test` need is installed, for the
# PostgreSQL that PG_CONFIG selects (default: Debian's 15).  Every dependency
# is checked by the file that is actually needed -- postgres.h under
# `pg_config --includedir-server`, pgtap.control under the server's
# extension directory, ... -- never by a file another package also ships.
#
# As root on Debian: installs what is missing with apt-get.  Otherwise, or for
# a PostgreSQL that is not Debian's: says exactly what is missing and how to
# get it, and fails.
#
#   scripts/deps.sh          build + test dependencies
#   scripts/deps.sh fuzz     also clang and its libFuzzer/sanitizer runtime
#
# CREDIT_DEPS_DRY_RUN=1 only reports (the lines "deps: would install ..." or
# the message), installs nothing; test/deps_check.sh uses it.
set -euo pipefail

PG_CONFIG=${PG_CONFIG:-$(command -v /usr/lib/postgresql/15/bin/pg_config || command -v pg_config || true)}
dry=${CREDIT_DEPS_DRY_RUN:-0}

missing=()     # Debian packages to install
manual=()      # things apt-get cannot install for this server: "what|how"

if [ -z "$PG_CONFIG" ] || ! [ -x "$PG_CONFIG" ]; then
    if [ -z "${PG_CONFIG:-}" ] || [ "$PG_CONFIG" = /usr/lib/postgresql/15/bin/pg_config ]; then
        PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
        missing+=("postgresql-client-15" "postgresql-15" "postgresql-server-dev-15")
    else
        echo "credit: PG_CONFIG=$PG_CONFIG is not an executable pg_config" >&2
        exit 1
    fi
fi

# what the selected server says about itself (empty when pg_config is not there yet)
pgc() { [ -x "$PG_CONFIG" ] && "$PG_CONFIG" "$@" 2>/dev/null || true; }
major=$(pgc --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p')
major=${major:-15}
bindir=$(pgc --bindir)
incserver=$(pgc --includedir-server)
sharedir=$(pgc --sharedir)
pkglibdir=$(pgc --pkglibdir)
libdir=$(pgc --libdir)
pgxs=$(pgc --pgxs)

# Debian's own installation of this major version?  (test/deps_check.sh
# sets CREDIT_DEPS_ASSUME_DEBIAN to try a fake pg_config as Debian's)
debian=false
case $PG_CONFIG in /usr/lib/postgresql/"$major"/bin/pg_config) debian=true ;; esac
[ "${CREDIT_DEPS_ASSUME_DEBIAN:-0}" = 1 ] && debian=true

need() {  # need FILE DEBIAN-PACKAGE "what it is" "how to get it elsewhere"
    local file=$1 pkg=$2 what=$3 how=$4
    [ -n "$file" ] && [ -e "$file" ] && return 0
    if $debian; then missing+=("$pkg"); else manual+=("$what (${file:-unknown path})|$how"); fi
}

if [ ${#missing[@]} -eq 0 ]; then
    need "$bindir/initdb"                     "postgresql-$major" \
         "the server's initdb" "install the server programs of this PostgreSQL"
    need "${incserver:+$incserver/postgres.h}" "postgresql-server-dev-$major" \
         "server headers (postgres.h)" "install the server headers (make install of PostgreSQL does)"
    need "$pgxs"                              "postgresql-server-dev-$major" \
         "PGXS (pgxs.mk)" "install PostgreSQL's PGXS makefiles"
    need "${sharedir:+$sharedir/extension/dblink.control}" "postgresql-$major" \
         "contrib module dblink (used by the tests)" "make -C contrib/dblink install in the PostgreSQL source tree"
    need "${pkglibdir:+$pkglibdir/dblink.so}"  "postgresql-$major" \
         "contrib module dblink (used by the tests)" "make -C contrib/dblink install in the PostgreSQL source tree"
    # the audit unit test links PostgreSQL's own SHA-256 (libpgcommon)
    if ! [ -e "$libdir/libpgcommon.a" ] && ! [ -e "$pkglibdir/libpgcommon.a" ]; then
        if $debian; then missing+=("postgresql-server-dev-$major"); else
            manual+=("libpgcommon.a in $libdir|install PostgreSQL's libraries (make install does)"); fi
    fi
fi

# pgTAP for this server: Debian's package for Debian's server; for another
# installation, the pgTAP scripts (pure SQL) of a Debian pgTAP package already
# on the machine are copied into its extension directory (never a Debian
# server package installed for it), else the message says how to get pgTAP
pgtap_copy=false
if ! [ -e "$sharedir/extension/pgtap.control" ]; then
    debian_pgtap=$(ls -d /usr/share/postgresql/*/extension/pgtap.control 2>/dev/null | head -n 1)
    if $debian; then missing+=("postgresql-$major-pgtap")
    elif [ -n "$debian_pgtap" ] && { [ -w "$sharedir/extension" ] || [ "$(id -u)" -eq 0 ]; }; then
        pgtap_copy=true
    else
        manual+=("pgTAP ($sharedir/extension/pgtap.control)|install pgTAP into this server: make install PG_CONFIG=$PG_CONFIG in pgTAP's source")
    fi
fi

command -v pg_prove >/dev/null 2>&1                        || missing+=("libtap-parser-sourcehandler-pgtap-perl")
command -v prove >/dev/null 2>&1                           || missing+=("perl")
command -v pkg-config >/dev/null 2>&1                      || missing+=("pkg-config")
pkg-config --exists icu-uc icu-i18n 2>/dev/null            || missing+=("libicu-dev")
command -v gcc >/dev/null 2>&1                             || missing+=("gcc")
command -v make >/dev/null 2>&1                            || missing+=("make")
command -v runuser >/dev/null 2>&1                         || missing+=("util-linux")
command -v msgfmt >/dev/null 2>&1                          || missing+=("gettext")
# PostgreSQL's libpgcommon.a calls OpenSSL when the server was built with it
if pgc --configure | grep -q -- --with-openssl; then
    [ "$(gcc -print-file-name=libcrypto.so 2>/dev/null)" != libcrypto.so ] || missing+=("libssl-dev")
fi
# a real client driver (test/client_driver.sh)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import psycopg2' 2>/dev/null || missing+=("python3-psycopg2")
# the zh_CN message catalogue is tested under lc_messages = zh_CN.UTF-8
need_locale=false
locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' || need_locale=true
if $need_locale && ! [ -f /usr/sbin/locale-gen ]; then missing+=("locales"); fi
if [ "${1:-}" = fuzz ]; then
    command -v clang >/dev/null 2>&1                       || missing+=("clang")
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
        || missing+=("libclang-rt-dev")
fi
# one package once
if [ ${#missing[@]} -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
fi

if [ ${#manual[@]} -gt 0 ]; then
    {
        echo "credit: PG_CONFIG=$PG_CONFIG (PostgreSQL $major, not Debian's packages) lacks:"
        for m in "${manual[@]}"; do printf '  - %s\n      %s\n' "${m%%|*}" "${m#*|}"; done
        echo "Install them into that PostgreSQL, then run the make command again."
    } >&2
    exit 1
fi

gen_locale() {
    grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'zh_CN.UTF-8 UTF-8' >>/etc/locale.gen
    locale-gen >/dev/null
}

# pgTAP's scripts need no root when the extension directory is writable
if $pgtap_copy && [ -w "$sharedir/extension" ] && [ "$dry" != 1 ]; then
    echo "deps: copying pgTAP's scripts from $(dirname "$debian_pgtap") into $sharedir/extension"
    cp "$debian_pgtap" "$(dirname "$debian_pgtap")"/pgtap--*.sql "$sharedir/extension/"
    pgtap_copy=false
fi
[ ${#missing[@]} -eq 0 ] && ! $need_locale && ! $pgtap_copy && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$dry" = 1 ]; then echo "deps: would install ${missing[*]}"; exit 0; fi
        echo "deps: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if $pgtap_copy; then
        echo "deps: copying pgTAP's scripts from $(dirname "$debian_pgtap") into $sharedir/extension"
        [ "$dry" = 1 ] && exit 0
        cp "$debian_pgtap" "$(dirname "$debian_pgtap")"/pgtap--*.sql "$sharedir/extension/"
    fi
    if $need_locale; then
        echo "deps: generating the zh_CN.UTF-8 locale"
        [ "$dry" = 1 ] || gen_locale
    fi
    exit 0
fi
if [ ${#missing[@]} -eq 0 ] && $need_locale; then
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
