#!/bin/bash
# A real 3-node Docker Swarm on one machine, for docknet's swarm tests.
#   swarm-lab.sh up <base> <subnet prefix, e.g. 192.168.91>   |   swarm-lab.sh down <base>
#   swarm-lab.sh start <base> <node>   (a node's dockerd again, after it was killed)
# Namespaces <base>-lan (a bridge br0) and <base>-a|b|c (eth0 = <prefix>.1-3/24, no default
# route: nothing can leave), one dockerd each with its state under /tmp/<base>-<node>;
# node a is the manager, b and c join as workers. Nothing touches the machine's own
# networking; `down` removes everything `up` made, also after a half-finished `up`.
set -uo pipefail
NODES="a b c"
D() { local n=$1; shift; docker -H "unix:///tmp/$BASE-$n/docker.sock" "$@"; }

start_engine() {   # the node's dockerd, in the background, its state kept under /tmp/<base>-<node>
  local ns=$BASE-$1 dir=/tmp/$BASE-$1 p f _
  # A killed dockerd leaves its pid file and its containerd's (which dies with it, a moment
  # later): dockerd refuses to start while the one pid lives and reuses the other, so wait
  # until both are gone (or zombies nobody reaps), then drop the files.
  for f in "$dir/docker.pid" "$dir/exec/containerd/containerd.pid"; do
    p=$(cat "$f" 2>/dev/null) || continue
    for _ in $(seq 150); do
      [ -e "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] || break; sleep 0.1
    done
    rm -f "$f"
  done
  # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd then finds no cgroups.
  nsenter --net="/var/run/netns/$ns" unshare --uts sh -c "hostname $ns; exec dockerd \
    --config-file $dir/daemon.json --host unix://$dir/docker.sock --data-root $dir/data \
    --exec-root $dir/exec --pidfile $dir/docker.pid --containerd-namespace $ns \
    --containerd-plugins-namespace ${ns}p" >> "$dir/dockerd.log" 2>&1 &
}

wait_engine() {   # [tries of 0.1 s]
  for _ in $(seq "${2:-200}"); do D "$1" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "dockerd on $1 did not start: $(tail -3 /tmp/$BASE-$1/dockerd.log)" >&2; return 1
}

up() {
  ip netns add "$BASE-lan" || return 1
  ip netns exec "$BASE-lan" ip link set lo up
  ip netns exec "$BASE-lan" ip link add br0 type bridge
  ip netns exec "$BASE-lan" ip link set br0 up
  local i=0 n ns dir
  for n in $NODES; do
    i=$((i+1)); ns=$BASE-$n; dir=/tmp/$ns; mkdir -p "$dir"
    ip netns add "$ns" || return 1
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$BASE-lan" ip link add "lan-$n" type veth peer name eth0 netns "$ns"
    ip netns exec "$BASE-lan" ip link set "lan-$n" master br0 up
    ip netns exec "$ns" ip addr add "$NET.$i/24" dev eth0
    ip netns exec "$ns" ip link set eth0 up
    # Every dockerd would otherwise take the machine's hostname and the engine ID in
    # /etc/docker/key.json: swarm would list three identical nodes.
    echo "{\"deprecated-key-path\": \"$dir/key.json\"}" > "$dir/daemon.json"
    start_engine "$n"
  done
  for n in $NODES; do wait_engine "$n" || return 1; done
  D a swarm init --advertise-addr "$NET.1" >/dev/null || return 1
  local token; token=$(D a swarm join-token -q worker) || return 1
  i=1
  for n in b c; do
    i=$((i+1))
    D "$n" swarm join --token "$token" --advertise-addr "$NET.$i" "$NET.1:2377" >/dev/null || return 1
  done
  for _ in $(seq 100); do
    [ "$(D a node ls --filter role=worker -q | wc -l)" = 2 ] && ! D a node ls --format '{{.Status}}' | grep -qv Ready && return 0
    sleep 0.2
  done
  echo "the workers did not become Ready" >&2; return 1
}

down() {   # no swarm leave: all state is deleted anyway; the engines stop in parallel
  local n ns dir s m p pids=""
  for n in $NODES; do
    ( p=$(cat "/tmp/$BASE-$n/docker.pid" 2>/dev/null) && kill "$p" 2>/dev/null &&
        for _ in $(seq 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      p=$(cat "/tmp/$BASE-$n/docker.pid" 2>/dev/null) && kill -9 "$p" 2>/dev/null ) & pids+=" $!"
  done
  [ -n "$pids" ] && wait $pids
  for n in $NODES; do
    ns=$BASE-$n; dir=/tmp/$ns
    for s in $(pgrep -f "containerd-shim-runc-v2 -namespace $ns "); do kill -9 "$s"; done
    for m in $(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
    ip netns del "$ns" 2>/dev/null; rm -rf "$dir"
  done
  ip netns del "$BASE-lan" 2>/dev/null; true
}

BASE=${2:?usage: swarm-lab.sh up|down <base> [subnet prefix]}
case "$BASE" in *[!a-z0-9-]*) echo "bad base name $BASE" >&2; exit 2;; esac
NET=${3:-192.168.91}
case "${1:-}" in
  up) up;;
  down) down;;
  start) case "${3:-}" in a|b|c) start_engine "$3"; wait_engine "$3" 600;; *) echo "start: node a, b or c" >&2; exit 2;; esac;;
  *) echo "usage: swarm-lab.sh up|down <base> [subnet prefix]" >&2; exit 2;;
esac
