#!/usr/bin/env bash
# Builds the MySQL test image from Debian's own packages (sid has mysql-server-core 9.x) and imports
# it into podman as localhost/mysql-agent-test-mysql:<hash of this folder's files>. Cached: does
# nothing when that tag exists. Needs root, debootstrap and podman. Run through ./dev mysql-image.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tag=$(cat "$here/build.sh" "$here/entrypoint.sh" | sha256sum | cut -c1-12)
image="localhost/mysql-agent-test-mysql:$tag"

if [ "${1:-}" = --name ]; then
    echo "$image"
    exit 0
fi

missing=()
[ "$(id -u)" = 0 ] || { echo "mysql-image: error: building the image needs root (debootstrap, podman import); run as root" >&2; exit 1; }
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
if [ ${#missing[@]} -gt 0 ]; then
    echo "mysql-image: installing ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
        || { echo "mysql-image: error: could not install ${missing[*]}; run: apt-get install -y ${missing[*]}" >&2; exit 1; }
fi

if podman image exists "$image"; then
    echo "mysql-image: $image is present"
    exit 0
fi

root=$(mktemp -d /var/tmp/mysql-test-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
started=$(date +%s)
echo "mysql-image: debootstrap sid into $root (about a minute)"
debootstrap --variant=minbase sid "$root" >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; echo "mysql-image: error: debootstrap failed (log: $root.log)" >&2; exit 1; }
# sid's Release file may be past its Valid-Until date on a mirror: accept it.
apt_opts=(-o Acquire::Check-Valid-Until=false -o DPkg::Lock::Timeout=600)
chroot "$root" apt-get "${apt_opts[@]}" update -qq >>"$root.log" 2>&1 \
    && DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get "${apt_opts[@]}" install -y -qq \
        --no-install-recommends mysql-server-core mysql-client >>"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; echo "mysql-image: error: installing mysql-server-core in sid failed (log: $root.log)" >&2; exit 1; }
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
install -m 0755 "$here/entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
# A datadir initialised once here, copied by the entrypoint at a container's first start (saves the
# ~20 s of --initialize per container); without auto.cnf and keys, so each container makes its own.
if chroot "$root" /usr/sbin/mysqld --no-defaults --initialize-insecure --user=root \
        --datadir=/var/lib/mysql-template >>"$root.log" 2>&1; then
    rm -f "$root"/var/lib/mysql-template/auto.cnf "$root"/var/lib/mysql-template/*.pem
else
    echo "mysql-image: warning: no initialised datadir in the image (see $root.log); containers initialise their own" >&2
    rm -rf "$root/var/lib/mysql-template"
fi
version=$(chroot "$root" /usr/sbin/mysqld --version 2>/dev/null || true)
tar -C "$root" -c . | podman import \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'CMD ["mysqld"]' \
    --change 'EXPOSE 3306' \
    - "$image" >/dev/null
rm -f "$root.log"
echo "mysql-image: built $image in $(( $(date +%s) - started )) s: $version"
