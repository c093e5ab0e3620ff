#!/bin/sh
# tests/kernels/fetch.sh takes the Debian mirror from the system's sources
# (one-line sources.list or deb822 .sources) or VGS_DEBIAN_MIRROR, and with
# neither stops with one line naming VGS_DEBIAN_MIRROR: no mirror host is
# built in.  Nothing is downloaded.
. "${srcdir:-.}/tests/init.sh"
fetch=$srcdir/tests/kernels/fetch.sh
command -v bash >/dev/null 2>&1 || skip "bash not installed"
for t in apt-get apt-cache dpkg dpkg-deb; do
	command -v $t >/dev/null 2>&1 || skip "$t not installed (not Debian)"
done
VGS_KERNEL_CACHE=$work/cache
export VGS_KERNEL_CACHE
unset VGS_DEBIAN_MIRROR VGS_DEBIAN_SECURITY_MIRROR
etc=$work/apt
mkdir -p "$etc/sources.list.d"
VGS_APT_ETC=$etc
export VGS_APT_ETC

run bash "$fetch" --print-mirror
expect_rc 99 "no mirror anywhere"
expect_one_line_err
expect_err '^fetch: no Debian mirror: .*set VGS_DEBIAN_MIRROR'

run env VGS_DEBIAN_MIRROR=http://mirror.example/debian bash "$fetch" \
    --print-mirror
expect_rc 0 "VGS_DEBIAN_MIRROR"
expect_out '^mirror http://mirror.example/debian$'
expect_out '^security http://mirror.example/debian-security$'

# deb822, with a disabled entry and a continuation line
cat >"$etc/sources.list.d/debian.sources" <<'EOS'
Types: deb
URIs: http://off.example/debian
Suites: bookworm
Components: main
Enabled: no

Types: deb-src deb
URIs: http://one.example/pub/debian
 http://two.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://sec.example/debian-security/
Suites: bookworm-security
Components: main
EOS
run bash "$fetch" --print-mirror
expect_rc 0 "deb822 sources"
expect_out '^mirror http://one.example/pub/debian$'
expect_out '^security http://sec.example/debian-security$'

# one-line format, options in brackets, before the .sources
printf '%s\n' '# deb http://commented.example/debian bookworm main' \
    'deb [arch=amd64 signed-by=/k.gpg] http://list.example/debian bookworm main' \
    >"$etc/sources.list"
run bash "$fetch" --print-mirror
expect_rc 0 "sources.list"
expect_out '^mirror http://list.example/debian$'
expect_clean_tmpdir
exit 0
