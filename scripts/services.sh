# Sourced by scripts/test: start_services installs PostgreSQL, Redis and gcc (for -race) from
# Debian's packages when they are missing, and the Temporal CLI (its dev server) from the Go
# module proxy, starts a private instance of each on loopback (fresh data, random ports, a
# random password), and exports where they are; stop_services stops them and removes their
# data.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# install_services installs what the test suite needs beside Go: PostgreSQL and Redis, gcc,
# which go test -race needs (the race detector is built with cgo), Graphviz, which renders
# kailashgen graph's DOT, Chromium, in which a test loads serve's page, and zsh and fish, whose
# completion the tests drive (bash is there already).
install_services() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  command -v dot >/dev/null || missing+=(graphviz)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v zsh >/dev/null || missing+=(zsh)
  command -v fish >/dev/null || missing+=(fish)
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "installing ${missing[*]} from Debian's packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

# The Temporal CLI whose dev server the Temporal backend's tests use: built once with go
# install (a few minutes), then found in the Go bin folder.
TEMPORAL_CLI_VERSION=v1.5.1

temporal_bin() {
  local gobin
  gobin=$(go env GOBIN)
  [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  if [ ! -x "$gobin/temporal" ]; then
    echo "building the Temporal CLI $TEMPORAL_CLI_VERSION (go install, first time only)" >&2
    GOBIN="$gobin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
  fi
  echo "$gobin/temporal"
}

# start_temporal starts a Temporal dev server on loopback, its store in memory: no test restarts
# it, and a store in a file costs the server twice the CPU (its SQLite writes), a quarter of the
# Temporal tests' time on 2 cores.
start_temporal() {
  local bin port http_port metrics_port
  bin=$(temporal_bin)
  port=$(free_port)
  http_port=$(free_port)
  metrics_port=$(free_port)
  "$bin" server start-dev --headless --ip 127.0.0.1 --port "$port" --http-port "$http_port" \
    --metrics-port "$metrics_port" --log-level error \
    >"$services_dir/temporal.log" 2>&1 &
  echo $! >"$services_dir/temporal.pid"
  for _ in $(seq 600); do
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  export KAILASHGEN_TEST_TEMPORAL="127.0.0.1:$port"
  echo "Temporal dev server on $KAILASHGEN_TEST_TEMPORAL"
}

start_services() {
  install_services
  services_dir=$(mktemp -d /tmp/kailashgen-services.XXXXXX)
  chmod 755 "$services_dir"
  local bin pw pg_port redis_port run_pg
  bin=$(pg_bin)
  pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  pg_port=$(free_port)
  redis_port=$(free_port)
  run_pg=()
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root: its data belongs to the postgres user.
    chown postgres "$services_dir"
    run_pg=(runuser -u postgres --)
  fi
  echo "$pw" >"$services_dir/pw" && chmod 644 "$services_dir/pw"
  "${run_pg[@]}" "$bin/initdb" -D "$services_dir/pg" -U kailashgen --pwfile="$services_dir/pw" \
    --auth-local=trust --auth-host=scram-sha-256 >"$services_dir/initdb.log" 2>&1
  rm -f "$services_dir/pw"
  "${run_pg[@]}" "$bin/pg_ctl" -D "$services_dir/pg" -l "$services_dir/pg.log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $services_dir -c fsync=off" start >/dev/null
  "${run_pg[@]}" "$bin/createdb" -h "$services_dir" -p "$pg_port" -U kailashgen kailashgen
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize yes --pidfile "$services_dir/redis.pid" --logfile "$services_dir/redis.log" --dir "$services_dir"
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  export KAILASHGEN_TEST_POSTGRES="postgres://kailashgen:$pw@127.0.0.1:$pg_port/kailashgen?sslmode=disable"
  export KAILASHGEN_TEST_REDIS="redis://127.0.0.1:$redis_port/0"
  export KAILASHGEN_TEST_REDIS_SERVER
  KAILASHGEN_TEST_REDIS_SERVER=$(command -v redis-server)
  echo "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"
  start_temporal
}

stop_services() {
  [ -n "${services_dir:-}" ] || return 0
  local bin
  bin=$(pg_bin)
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$services_dir/pg" -m fast stop >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D "$services_dir/pg" -m fast stop >/dev/null 2>&1 || true
  fi
  [ -f "$services_dir/redis.pid" ] && kill "$(cat "$services_dir/redis.pid")" 2>/dev/null || true
  stop_temporal
  rm -rf "$services_dir"
}

# stop_temporal stops the dev server that start_temporal started (the benchmark starts only it).
stop_temporal() {
  if [ -f "$services_dir/temporal.pid" ]; then
    kill "$(cat "$services_dir/temporal.pid")" 2>/dev/null || true
    wait "$(cat "$services_dir/temporal.pid")" 2>/dev/null || true
  fi
}
