#!/bin/bash
# fetch.sh - resolve and cache the kernels of the vmaguard-stress kernel matrix.
#
# Usage: fetch.sh [--offline] [--matrix=FILE] [--print-mirror] [ROW-ID...]
#
# For every row of the matrix file (default: "matrix" beside this script),
# finds the newest Debian package linux-image-<version>-<flavour> of the
# row's flavour in its suites and version range, downloads the package
# that holds the kernel image (the image package itself, or the
# linux-binary-* package it depends on in the newer packaging), extracts
# only vmlinuz into the cache and prints one tab-separated manifest line per
# row on stdout:
#
#   ID  STATUS  EXPECT  VERSION  PACKAGE  SUITE  VMLINUZ  NOTE  ARCH
#
# ARCH is the Debian architecture of the flavour (amd64 for *-amd64,
# arm64 for *arm64*: cloud-arm64 has 4K pages, arm64-16k 16K pages).
# STATUS is OK (VMLINUZ is a cached kernel image), MISSING (no such version
# on the mirror, or not cached with --offline) or ERROR (download or
# extraction failed).  Progress goes to stderr.
#
# The mirror is queried through a private apt state inside the cache; the
# system's apt configuration, lists and cache are never written.  The mirror
# URIs are taken from the system's sources (the first "/debian" and
# "/debian-security" URIs of /etc/apt/sources.list, sources.list.d/*.list
# and the deb822 sources.list.d/*.sources), or from VGS_DEBIAN_MIRROR; no
# mirror is built in: with neither, fetch.sh stops and says so.
#
# --print-mirror prints the two mirror URIs it would use and exits.
#
# Environment:
#   VGS_KERNEL_CACHE       cache directory
#                          (default $HOME/.cache/vmaguard-stress/kernels);
#                          must be outside the source tree
#   VGS_KERNEL_FLAVOUR     flavour for every selected row instead of the
#                          matrix's FLAVOUR column (e.g. amd64)
#   VGS_KERNEL_OFFLINE=1   same as --offline: no apt-get update, no downloads
#   VGS_DEBIAN_MIRROR      the Debian archive, e.g. http://MIRROR/debian,
#                          instead of the one found in /etc/apt
#   VGS_DEBIAN_SECURITY_MIRROR
#                          the security archive (default: the one in
#                          /etc/apt, else VGS_DEBIAN_MIRROR with
#                          /debian-security for /debian)
#   VGS_APT_ETC            where the system's sources are (default
#                          /etc/apt; the tests point it elsewhere)
#   VGS_KEYRING            archive keyring
#                          (default /usr/share/keyrings/debian-archive-keyring.gpg)
#
# Exit status: 0 when the manifest was produced (whatever the rows' status),
# 99 on a setup error (no apt, no keyring, no package lists at all).

set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd -P)
srcroot=$(cd "$here/../.." && pwd -P)
matrix=$here/matrix
offline=${VGS_KERNEL_OFFLINE:-0}
[ "$offline" = 0 ] || offline=1
flavour_all=${VGS_KERNEL_FLAVOUR:-}
keyring=${VGS_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
cache=${VGS_KERNEL_CACHE:-${HOME:-/root}/.cache/vmaguard-stress/kernels}

msg() { printf 'fetch: %s\n' "$*" >&2; }
die() { msg "$*"; exit 99; }

apt_etc=${VGS_APT_ETC:-/etc/apt}
print_mirror=0

want_ids=()
for arg in "$@"; do
	case $arg in
	--offline) offline=1 ;;
	--print-mirror) print_mirror=1 ;;
	--matrix=*) matrix=${arg#--matrix=} ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $arg" ;;
	*) want_ids+=("$arg") ;;
	esac
done

[ -r "$matrix" ] || die "cannot read matrix file $matrix"
for tool in apt-get apt-cache dpkg dpkg-deb tar; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian host needed)"
done

mkdir -p "$cache" || die "cannot create cache $cache"
cache=$(cd "$cache" && pwd -P)
case $cache/ in
"$srcroot"/*) die "cache $cache is inside the source tree $srcroot; set VGS_KERNEL_CACHE" ;;
esac

# One fetch at a time per cache.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9 || die "cannot lock $cache/.lock"
fi

# ---------------------------------------------------------------- matrix ---
# Debian architecture of a kernel flavour.
flavour_arch() {
	case $1 in
	*amd64*) echo amd64 ;;
	*arm64*) echo arm64 ;;
	*) return 1 ;;
	esac
}

rows=()	# "id expect flavour suites min below"
archs=	# of every row, selected or not: the apt lists stay the same
while read -r id expect flavour _ _ suites min below rest; do
	case $id in ''|'#'*) continue ;; esac
	[ -n "$below" ] || die "bad matrix line for $id"
	[ -z "$flavour_all" ] || flavour=$flavour_all
	a=$(flavour_arch "$flavour") ||
		die "$id: no architecture known for flavour $flavour"
	case " $archs " in *" $a "*) ;; *) archs="$archs $a" ;; esac
	if [ ${#want_ids[@]} -gt 0 ]; then
		keep=0
		for w in "${want_ids[@]}"; do [ "$w" = "$id" ] && keep=1; done
		[ $keep = 1 ] || continue
	fi
	rows+=("$id $expect $flavour $suites $min $below")
done <"$matrix"
[ ${#rows[@]} -gt 0 ] || die "no matrix rows selected"

# ------------------------------------------------------- mirror detection ---
# Print the "deb" URIs of the system's sources, one a line, in file order.
system_uris() {
	local f
	for f in "$apt_etc/sources.list" "$apt_etc"/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		sed 's/#.*//' "$f" | awk '
			$1 == "deb" {
				i = 2
				if ($i ~ /^\[/) {
					while (i <= NF && $i !~ /\]$/) i++
					i++
				}
				if (i <= NF) print $i
			}'
	done
	for f in "$apt_etc"/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
			function flush() {
				if (isdeb && enabled) {
					n = split(uris, u, /[ \t]+/)
					for (k = 1; k <= n; k++) if (u[k] != "") print u[k]
				}
				isdeb = 0; enabled = 1; uris = ""; key = ""
			}
			BEGIN { enabled = 1 }
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[ \t]/ { if (key == "uris") uris = uris " " $0; next }
			{
				key = tolower($1); sub(/:$/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") { n = split(val, t, /[ \t]+/)
					for (k = 1; k <= n; k++) if (t[k] == "deb") isdeb = 1 }
				else if (key == "uris") uris = val
				else if (key == "enabled" && tolower(val) == "no") enabled = 0
			}
			END { flush() }' "$f"
	done
}

# First system URI whose path ends in /$1 (trailing slash ignored).
find_uri() {
	system_uris | sed 's:/*$::' | awk -v want="/$1" '
		length($0) > length(want) &&
		substr($0, length($0) - length(want) + 1) == want { print; exit }'
}

# No mirror is built in: project files never name a mirror's host.
mirror=${VGS_DEBIAN_MIRROR:-$(find_uri debian)}
[ -n "$mirror" ] ||
	die "no Debian mirror: no .../debian URI in $apt_etc/sources.list," \
	    "sources.list.d/*.list or *.sources; set VGS_DEBIAN_MIRROR" \
	    "(e.g. VGS_DEBIAN_MIRROR=http://MIRROR/debian)"
secmirror=${VGS_DEBIAN_SECURITY_MIRROR:-$(find_uri debian-security)}
[ -n "$secmirror" ] || secmirror=${mirror%/debian}/debian-security
if [ "$print_mirror" = 1 ]; then
	echo "mirror $mirror"
	echo "security $secmirror"
	exit 0
fi

# ------------------------------------------------------ private apt state ---
apt=$cache/apt
mkdir -p "$apt/etc/parts" "$apt/etc/preferences.d" "$apt/etc/sources.list.d" \
	"$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state" ||
	die "cannot create $apt"

suites=$(for r in "${rows[@]}"; do set -- $r; echo "$4"; done | tr ',' '\n' | sort -u)
# apt's native architecture: the first of the matrix (amd64 in ours).
native=${archs# }
native=${native%% *}
{
	for s in $suites; do
		case $s in
		*-security) m=$secmirror ;;
		*) m=$mirror ;;
		esac
		echo "deb [signed-by=$keyring] $m $s main"
	done
} >"$apt/etc/sources.list.new"
if ! cmp -s "$apt/etc/sources.list.new" "$apt/etc/sources.list" 2>/dev/null; then
	mv "$apt/etc/sources.list.new" "$apt/etc/sources.list"
else
	rm -f "$apt/etc/sources.list.new"
fi

# APT_CONFIG is read before the system's apt.conf.d, and points the parts
# directory at an empty one: no system hooks (Post-Invoke etc.) run and no
# system state is used, except proxy settings, which are carried over.
{
	cat <<EOF
Dir::Etc::Parts "$apt/etc/parts";
Dir::Etc::main "$apt/etc/none";
Dir::Etc::SourceList "$apt/etc/sources.list";
Dir::Etc::SourceParts "$apt/etc/sources.list.d";
Dir::Etc::Preferences "$apt/etc/none";
Dir::Etc::PreferencesParts "$apt/etc/preferences.d";
Dir::State "$apt/state";
Dir::State::Lists "$apt/lists";
Dir::State::Status "/var/lib/dpkg/status";
Dir::Cache "$apt/cache";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::CompressionTypes::Order { "gz"; };
APT::Architecture "$native";
APT::Architectures { $(for a in $archs; do printf '"%s"; ' "$a"; done)};
EOF
	# the cache usually lives in a home directory that apt's sandbox user
	# (_apt) cannot enter: download as the invoking user
	echo "APT::Sandbox::User \"$(id -un)\";"
	APT_CONFIG=/dev/null apt-config dump 2>/dev/null |
		grep -E '^Acquire::(http|https|ftp)::Proxy' | sed 's/$/;/'
} >"$apt/apt.conf"
export APT_CONFIG=$apt/apt.conf

have_lists() { ls "$apt"/lists/*Packages* >/dev/null 2>&1; }

if [ "$offline" = 0 ]; then
	[ -r "$keyring" ] || die "keyring $keyring missing (apt-get install debian-archive-keyring)"
	msg "updating package lists from $mirror ($(echo $suites | tr ' ' ','))"
	if ! apt-get -q update --error-on=any >"$apt/update.log" 2>&1; then
		if have_lists; then
			msg "apt-get update failed, using the previous lists (see $apt/update.log)"
		else
			sed 's/^/  /' "$apt/update.log" >&2
			die "apt-get update failed and no previous package lists"
		fi
	fi
fi
have_lists || die "no package lists in $apt/lists (run without --offline once)"

# ------------------------------------------------------------- resolving ---
allnames=$(apt-cache pkgnames linux-image- 2>/dev/null | sort)
cands=$apt/candidates
# "pkg:arch version suite" for every version of every candidate of flavour
# $1 in every index
candidates() {
	local names arch
	arch=$(flavour_arch "$1")
	names=$(echo "$allnames" |
		grep -E "^linux-image-[0-9]+\.[0-9]+\.[0-9]+[^ ]*-$1\$" |
		sed "s/\$/:$arch/")
	[ -n "$names" ] || return 0
	# shellcheck disable=SC2086
	apt-cache madison $names 2>/dev/null | awk -F'|' -v arch="$arch" '
		{
			gsub(/^[ \t]+|[ \t]+$/, "", $1); gsub(/^[ \t]+|[ \t]+$/, "", $2)
			sub(/:[a-z0-9]+$/, "", $1)
			# $3 is " URI SUITE/COMPONENT ARCH Packages"
			n = split($3, w, /[ \t]+/); m = 0; suite = ""
			for (k = 1; k <= n; k++) if (w[k] != "" && ++m == 2) { suite = w[k]; break }
			sub(/\/.*/, "", suite)
			if ($1 != "" && $2 != "" && suite != "") print $1 ":" arch, $2, suite
		}'
}

in_list() { case ",$2," in *",$1,"*) return 0 ;; esac; return 1; }

# Payload package (pkg:arch) holding vmlinuz for image package $1
# (pkg:arch) at version $2.
payload_of() {
	local bin
	bin=$(apt-cache show "$1=$2" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',|' '\n\n' | sed 's/^ *//; s/ .*//; s/:.*//' |
		grep -E '^linux-binary-' | grep -v -- '-unsigned-' | head -n 1)
	if [ -n "$bin" ]; then echo "$bin:${1##*:}"; else echo "$1"; fi
}

# Is file $1 a kernel image for Debian architecture $2?
image_ok() {
	local magic
	case $2 in
	amd64)	# every x86 bzImage carries "HdrS" at offset 0x202
		magic=$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null) ;;
	arm64)	# an arm64 Image carries "ARMd" at 0x38; Debian's is plain,
		# but a gzip-compressed one is accepted too
		if [ "$(od -An -tx1 -N2 "$1" | tr -d ' ')" = 1f8b ]; then
			magic=$(gzip -dc <"$1" 2>/dev/null |
				dd bs=1 skip=56 count=4 2>/dev/null)
		else
			magic=$(dd if="$1" bs=1 skip=56 count=4 2>/dev/null)
		fi
		[ "$magic" = ARMd ] && magic=HdrS ;;
	esac
	[ "$magic" = HdrS ]
}

# Extract the kernel image of .deb $1 (architecture $3) into file $2;
# print the member name.
extract_vmlinuz() {
	local member
	member=$(dpkg-deb --fsys-tarfile "$1" | tar -tvf - |
		awk '$1 ~ /^-/ && $NF ~ /(^|\/)vmlinuz[^\/]*$/ && m == "" { m = $NF } END { print m }')
	[ -n "$member" ] || { msg "no vmlinuz in $(basename "$1")"; return 1; }
	dpkg-deb --fsys-tarfile "$1" | tar -xOf - "$member" >"$2" || return 1
	image_ok "$2" "$3" || { msg "$member is not a kernel image for $3"; return 1; }
	echo "$member"
}

# Download payload $1=$2 and cache its vmlinuz in directory $3.
fetch_image() {
	local dl deb member rel rc=1
	dl=$(mktemp -d "$cache/dl.XXXXXX") || return 1
	if (cd "$dl" && apt-get -q download "$1=$2") >"$dl/download.log" 2>&1; then
		deb=$(ls "$dl"/*.deb 2>/dev/null | head -n 1)
		if [ -n "$deb" ] &&
		   member=$(extract_vmlinuz "$deb" "$dl/vmlinuz" "${1##*:}"); then
			mkdir -p "$3" &&
			{
				echo "package=${1%:*}"
				echo "arch=${1##*:}"
				echo "version=$2"
				echo "member=$member"
				case $member in
				*/modules/*/vmlinuz) rel=${member%/vmlinuz}; rel=${rel##*/} ;;
				*) rel=${member##*/vmlinuz-} ;;
				esac
				echo "release=$rel"
				echo "deb_sha256=$(sha256sum "$deb" | cut -d' ' -f1)"
				echo "fetched=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
			} >"$3/info" &&
			mv "$dl/vmlinuz" "$3/vmlinuz" && rc=0
		fi
	fi
	[ $rc = 0 ] || sed 's/^/  /' "$dl/download.log" >&2
	rm -rf "$dl"
	return $rc
}

manifest=$cache/manifest.new
: >"$manifest"
for r in "${rows[@]}"; do
	set -- $r
	id=$1 expect=$2 flavour=$3 rsuites=$4 min=$5 below=$6
	arch=$(flavour_arch "$flavour")
	best_pkg='' best_ver='' best_suite=''
	candidates "$flavour" >"$cands"
	while read -r pkg ver suite; do
		in_list "$suite" "$rsuites" || continue
		dpkg --compare-versions "$ver" ge "$min~" || continue
		dpkg --compare-versions "$ver" lt "$below~" || continue
		if [ -z "$best_ver" ] || dpkg --compare-versions "$ver" gt "$best_ver"; then
			best_pkg=$pkg best_ver=$ver best_suite=$suite
		fi
	done <"$cands"

	status=MISSING path=- note=
	if [ -z "$best_ver" ]; then
		note="no $flavour kernel >= $min, < $below in $rsuites"
		best_pkg=- best_ver=- best_suite=-
	else
		payload=$(payload_of "$best_pkg" "$best_ver")
		dir=$cache/img/${payload%:*}_$best_ver
		if [ -s "$dir/vmlinuz" ]; then
			status=OK path=$dir/vmlinuz note=cached
		elif [ "$offline" = 1 ]; then
			note="not cached (offline)"
		else
			msg "$id: downloading $payload $best_ver ($best_suite)"
			if fetch_image "$payload" "$best_ver" "$dir"; then
				status=OK path=$dir/vmlinuz note=downloaded
			else
				status=ERROR note="download/extract of $payload failed"
			fi
		fi
		best_pkg=${payload%:*}
	fi
	msg "$id: $status $best_ver $note"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$status" \
		"$expect" "$best_ver" "$best_pkg" "$best_suite" "$path" "$note" \
		"$arch" >>"$manifest"
done
mv "$manifest" "$cache/manifest"
cat "$cache/manifest"
exit 0
