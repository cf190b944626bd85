#!/usr/bin/env bash
# Builds the image's base, the way distroless images are assembled, but from this repository:
#   layer 1 (os):  glibc and libgcc from the Debian packages pinned in debian-packages.lock,
#                  /etc/passwd and /etc/group with the nonroot user (65532), /tmp (1777),
#                  the packages' copyright files and dpkg records (so image scanners see them);
#   layer 2 (jvm): a jlink runtime at /opt/java, made from the JDK given with --jdk.
# No shell, no package manager, no other binary than java. The result is a docker-archive
# tarball that Jib takes as its base image (tar://...), and the unpacked runtime, which the build
# uses to record the JDK's AOT cache with the very JVM the image will run.
# Every file time is the build's reproducible timestamp: the same inputs give the same bytes.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: base.sh --jdk DIR --out DIR [--timestamp ISO-8601] [--cache DIR] [--mirror URL]
       base.sh --resolve [--mirror URL]
       base.sh --print-mirror

  --jdk DIR          JDK 25 to make the runtime from with jlink (the image runs this JVM);
                     empty or absent: $JAVA_HOME_25_X64 (GitHub's setup-java), then
                     /usr/lib/jvm/*25*
  --out DIR          writes DIR/base.tar (docker-archive) and DIR/root (the unpacked base)
  --timestamp T      time given to every file (default: 1970-01-01T00:00:01Z)
  --cache DIR        where downloaded .deb files are kept (default: ~/.cache/prediction-function/debs)
  --mirror URL       Debian mirror, the URL under which debian/ and debian-security/ lie (files
                     are checked by SHA-256); default: $DEBIAN_MIRROR, else the mirror this
                     machine's apt sources use ($APT_ETC, default /etc/apt: sources.list.d/
                     *.sources, sources.list); CI runners without Debian sources set
                     DEBIAN_MIRROR (the repository variable of that name)
  --resolve          prints lock lines for the newest trixie versions of the locked packages
  --print-mirror     prints the mirror that would be used, and exits
Exit codes: 0 done, 1 a download or check failed, 2 bad arguments or no mirror found.
EOF
}

here=$(cd "$(dirname "$0")" && pwd)
lock="$here/debian-packages.lock"
# Modules the application needs: jdeps --print-module-deps over the runtime class path, except
# java.desktop (reached only by snakeyaml's bean introspection, which AOT-converted configuration
# never uses, and by binders this service does not load), plus jdk.zipfs (the model bundle is
# read through a zip file system). java.logging and java.xml are required by java.sql anyway;
# Tribuo logs through java.logging. ContainerImageIT proves the set serves every kind of request.
modules=java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
jdk="" out="" timestamp="1970-01-01T00:00:01Z" mirror="" resolve=false print_mirror=false
cache="${XDG_CACHE_HOME:-$HOME/.cache}/prediction-function/debs"

while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --timestamp) timestamp="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --print-mirror) print_mirror=true; shift ;;
    --resolve) resolve=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "base.sh: unknown argument $1" >&2; usage >&2; exit 1 ;;
  esac
done

locked_packages() { grep -vE '^\s*(#|$)' "$lock"; }

# The Debian mirror the build machine's apt already uses, so this repository names no mirror and
# a company mirror works as it is: the first source URI ending in /debian, without that suffix.
apt_mirror() {
  local etc="${APT_ETC:-/etc/apt}"
  {
    cat "$etc"/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
    cat "$etc"/sources.list "$etc"/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break } }'
  } | sed 's:/*$::' | grep -m1 -E '/debian$' | sed 's:/debian$::'
}
[ -n "$mirror" ] || mirror="${DEBIAN_MIRROR:-}"
[ -n "$mirror" ] || mirror=$(apt_mirror || true)
if [ -z "$mirror" ]; then
  echo "base.sh: no Debian mirror: pass --mirror URL, set DEBIAN_MIRROR, or have a URI ending in /debian in ${APT_ETC:-/etc/apt}'s sources" >&2
  exit 2
fi
if $print_mirror; then
  echo "$mirror"
  exit 0
fi

if $resolve; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  for suite in "debian trixie" "debian trixie-updates" "debian-security trixie-security"; do
    set -- $suite
    curl -fsS "$mirror/$1/dists/$2/main/binary-amd64/Packages.xz" | xz -d | sed "s|^Filename: |Filename: $1/|" >> "$tmp/Packages"
  done
  locked_packages | while read -r name _; do
    awk -v want="$name" '
      /^Package: /  { pkg = $2 }
      /^Version: /  { version = $2 }
      /^Filename: / { file = $2 }
      /^SHA256: /   { sha = $2 }
      /^$/          { if (pkg == want) print version, file, sha; pkg = "" }
    ' "$tmp/Packages" | sort -V | tail -1 \
      | awk -v name="$name" '{ printf "%-11s %-16s %-68s %s\n", name, $1, $2, $3 }'
  done
  exit 0
fi

[ -n "$out" ] || { usage >&2; exit 1; }
if [ -z "$jdk" ]; then
  for candidate in "${JAVA_HOME_25_X64:-}" /usr/lib/jvm/*-25-* /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && { jdk="$candidate"; break; }
  done
  [ -n "$jdk" ] || { echo "base.sh: no JDK 25 found; pass --jdk DIR (Maven: -Dimage.jdk=DIR)" >&2; exit 1; }
fi
release_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release" 2>/dev/null || true)
case "$release_version" in
  25|25.*) ;;
  *) echo "base.sh: --jdk $jdk is not a JDK 25 (its release file says '${release_version:-nothing}');" \
          "the image's start-up cache needs JDK 25's AOT cache (JEP 483/514/515)." >&2; exit 1 ;;
esac
for tool in dpkg-deb tar sha256sum curl; do
  command -v "$tool" >/dev/null || { echo "base.sh: $tool is required (Debian: apt-get install dpkg tar coreutils curl)" >&2; exit 1; }
done

umask 022
export LC_ALL=C TZ=UTC
rm -rf "$out"
mkdir -p "$out/os" "$out/jvm" "$cache"
os="$out/os" jvm="$out/jvm"

# --- layer 1: the OS files ---------------------------------------------------------------
locked_packages | while read -r name version path sha; do
  deb="$cache/$(basename "$path")"
  if [ ! -f "$deb" ] || ! echo "$sha  $deb" | sha256sum -c --quiet 2>/dev/null; then
    curl -fsS --retry 3 -o "$deb.part" "$mirror/$path" \
      || { echo "base.sh: cannot download $mirror/$path ($name $version). If Debian superseded it," \
                "run base.sh --resolve and update debian-packages.lock." >&2; exit 1; }
    mv "$deb.part" "$deb"
  fi
  echo "$sha  $deb" | sha256sum -c --quiet \
    || { echo "base.sh: $deb does not have the SHA-256 in debian-packages.lock ($sha)" >&2; exit 1; }
  unpacked="$out/deb/$name"
  mkdir -p "$unpacked"
  dpkg-deb -x "$deb" "$unpacked"
  # Keep the shared libraries, the loader's symlink, the copyright notices and os-release;
  # leave out iconv modules, executables, documentation and lintian data.
  (cd "$unpacked" && find . \( -type f -o -type l \) \
      \( -path './usr/lib/x86_64-linux-gnu/*.so*' -o -path './usr/lib64/*' \
         -o -path './usr/share/doc/*/copyright' -o -path './usr/lib/os-release' \) \
      -not -path '*/gconv/*' -print0) \
    | (cd "$unpacked" && tar --null -T - -cf -) | tar -xf - -C "$os"
  mkdir -p "$os/var/lib/dpkg/status.d"
  dpkg-deb -f "$deb" > "$os/var/lib/dpkg/status.d/$name"
done
cp -R "$here/rootfs/." "$os/"
chmod 0644 "$os/etc/passwd" "$os/etc/group"
ln -s usr/lib "$os/lib"
ln -s usr/lib64 "$os/lib64"
ln -s ../usr/lib/os-release "$os/etc/os-release"
mkdir -p "$os/tmp"
chmod 1777 "$os/tmp"

# --- layer 2: the JVM --------------------------------------------------------------------
mkdir -p "$jvm/opt"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$jvm/opt/java"

# --- the docker-archive -------------------------------------------------------------------
layer_tar() { # dir, file: a tar with sorted names, fixed times and numeric root ownership
  tar --create --file "$2" --directory "$1" --sort=name --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --mtime="$timestamp" --owner=0 --group=0 --numeric-owner .
}
layer_tar "$os" "$out/os.tar"
layer_tar "$jvm" "$out/jvm.tar"

os_id=$(sha256sum "$out/os.tar" | cut -d' ' -f1)
jvm_id=$(sha256sum "$out/jvm.tar" | cut -d' ' -f1)
java_version="$(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1 /p' "$jdk/release")$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")"
cat > "$out/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"$timestamp","config":{"User":"65532:65532","Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","JAVA_VERSION=$release_version","LANG=C.UTF-8"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$os_id","sha256:$jvm_id"]},"history":[{"created":"$timestamp","created_by":"src/main/image/base.sh: Debian 13 glibc, libgcc, passwd (nonroot 65532)"},{"created":"$timestamp","created_by":"src/main/image/base.sh: jlink runtime $java_version at /opt/java"}]}
EOF
cat > "$out/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["prediction-function-base:local"],"Layers":["os.tar","jvm.tar"]}]
EOF
tar --create --file "$out/base.tar" --directory "$out" --sort=name --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  --mtime="$timestamp" --owner=0 --group=0 --numeric-owner manifest.json config.json os.tar jvm.tar

# The unpacked base, for the build's AOT training run.
mkdir -p "$out/root"
cp -a "$os/." "$jvm/." "$out/root/"
find "$out/root" -exec touch -h -d "$timestamp" {} +
rm -rf "$out/deb" "$out/os" "$out/jvm" "$out/os.tar" "$out/jvm.tar"
echo "base.sh: $out/base.tar (Java $java_version, $(du -sh "$out/root" | cut -f1) unpacked)"
