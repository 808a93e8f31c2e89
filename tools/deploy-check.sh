#!/usr/bin/env bash
# Follows the deployment recipe (deploy/, README 本番環境への配置) on this machine, on loopback
# and without systemd: a fresh PostgreSQL database, the environment file made from the example,
# migrate / compilemessages_py / collectstatic / load_regions through deploy/sasaeai-admin,
# `sasaeai serve` behind Debian's nginx running deploy/nginx/sasaeai.conf with a self-signed
# certificate, `sasaeai worker` taking a queued task, every timer's command once, and the
# systemd units checked by systemd-analyze. Everything it starts is stopped and its database
# dropped on exit. Run by .ci/run; needs nginx, openssl and curl (tools/system-packages.sh).
#
#   tools/deploy-check.sh            # uses ./.venv
#   VENV=/path/to/venv tools/deploy-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
VENV="${VENV:-$repo/.venv}"
NGINX="${NGINX:-/usr/sbin/nginx}"
PREFECTURE=33
started=$(date +%s)
step() { printf -- '--- %s (%ss)\n' "$*" "$(($(date +%s) - started))"; }
fail() {
  printf 'deploy-check: FAILED: %s\n' "$*" >&2
  exit 1
}

for tool in "$NGINX" openssl curl createdb dropdb pg_isready "$VENV/bin/python"; do
  command -v "$tool" >/dev/null || fail "$tool is missing (sh tools/system-packages.sh; make setup)"
done

tmp="$(mktemp -d /tmp/sasaeai-deploy-check.XXXXXX)"
chmod 0755 "$tmp" # nginx's workers read the static files under it
db="sasaeai_deploy_check_$$"
pids=() # everything started in the background, stopped on exit
stop() { # PID: TERM, and KILL if it is still there after 15 s (gunicorn's graceful stop)
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  status=$?
  for pid in "${pids[@]}"; do stop "$pid"; done
  if [ -f "$tmp/nginx/nginx.pid" ]; then
    "$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" -s stop \
      2>/dev/null || true
  fi
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  dropdb -h 127.0.0.1 -U postgres --if-exists --force "$db" || true
  if [ "$status" -ne 0 ]; then
    for log in serve worker nginx/error; do
      [ -s "$tmp/$log.log" ] && { echo "=== $log.log (last lines)"; tail -n 20 "$tmp/$log.log"; }
    done
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
https_port=$(free_port)
http_port=$(free_port)
[ "$app_port" != "$https_port" ] && [ "$https_port" != "$http_port" ] || fail "no three free ports"
site="https://127.0.0.1:$https_port"

step "PostgreSQL database $db"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
createdb -h 127.0.0.1 -U postgres -T template0 -E UTF8 --lc-ctype=C.UTF-8 --lc-collate=C.UTF-8 "$db"

step "environment file from deploy/sasaeai.env.example"
env_file="$tmp/sasaeai.env"
cp deploy/sasaeai.env.example "$env_file"
set_env() { # NAME VALUE: the example must name the variable (set or commented out)
  grep -q "^#\?$1=" "$env_file" || fail "deploy/sasaeai.env.example has no $1"
  "$VENV/bin/python" - "$env_file" "$1" "$2" <<'EOF'
import re, sys
path, name, value = sys.argv[1:]
text = open(path, encoding="utf-8").read()
text = re.sub(rf"^#?{name}=.*$", lambda _m: f"{name}={value}", text, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(text)
EOF
}
set_env SECRET_KEY "$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
set_env DATABASE_URL "postgres://postgres@127.0.0.1:5432/$db"
set_env ALLOWED_HOSTS "127.0.0.1"
set_env CSRF_TRUSTED_ORIGINS "$site"
set_env SASAEAI_SITE_URL "$site"
set_env SASAEAI_DATA_DIR "$tmp/data"
set_env SASAEAI_DEFAULT_PREFECTURE "$PREFECTURE"
set_env SASAEAI_BIND "127.0.0.1:$app_port"
set_env WEB_CONCURRENCY 2
set_env DEFAULT_FROM_EMAIL "sasaeai@127.0.0.1"
set_env EMAIL_BACKEND django.core.mail.backends.console.EmailBackend # nothing leaves
grep -q "sasaeai.example.jp" "$env_file" && fail "the environment file still names sasaeai.example.jp"
mkdir -m 0755 "$tmp/data" "$tmp/backups" "$tmp/run"

# The operators' wrapper, pointed at this checkout and the test environment file. A plain
# command (not a function), so that a background one's $! is the server itself.
admin=(env SASAEAI_HOME="$repo" SASAEAI_VENV="$VENV" SASAEAI_ENV_FILE="$env_file"
  SASAEAI_USER="$(id -un)" XDG_RUNTIME_DIR="$tmp/run" sh deploy/sasaeai-admin)
admin() { "${admin[@]}" "$@"; }

step "migrate, compilemessages_py, collectstatic, load_regions"
# collectstatic (which compresses every file) needs no database: it runs beside the others.
"${admin[@]}" manage collectstatic --noinput -v 0 >"$tmp/collectstatic.log" 2>&1 &
collectstatic=$!
pids+=("$collectstatic")
admin manage migrate --noinput -v 0
admin manage compilemessages_py -v 0
admin manage load_regions -v 0
wait "$collectstatic" || { cat "$tmp/collectstatic.log"; fail "collectstatic"; }
[ -f "$tmp/data/static/staticfiles.json" ] || fail "collectstatic wrote no manifest"

step "sasaeai serve on 127.0.0.1:$app_port"
"${admin[@]}" serve >"$tmp/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$app_port/healthz" || true)
  [ "$code" != "000" ] && break
  kill -0 "$serve" 2>/dev/null || fail "sasaeai serve stopped"
  sleep 0.5
done
[ "$code" != "000" ] || fail "sasaeai serve did not answer within 30 s"

step "nginx with deploy/nginx/sasaeai.conf on https :$https_port and http :$http_port"
mkdir -p "$tmp/nginx" "$tmp/ssl" "$tmp/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$tmp/ssl/privkey.pem" -out "$tmp/ssl/fullchain.pem" 2>/dev/null
sed -e '/^ *#/d' \
  -e "s#server 127.0.0.1:8000;#server 127.0.0.1:$app_port;#" \
  -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
  -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
  -e '/listen \[::\]/d' \
  -e "s#server_name sasaeai.example.jp;#server_name 127.0.0.1;#" \
  -e "s#return 301 https://\$host\$request_uri;#return 301 https://\$host:$https_port\$request_uri;#" \
  -e "s#/etc/ssl/sasaeai/#$tmp/ssl/#" \
  -e "s#/var/lib/sasaeai/static/#$tmp/data/static/#" \
  -e "s#/var/www/letsencrypt#$tmp/www#" \
  deploy/nginx/sasaeai.conf >"$tmp/nginx/sasaeai.conf"
for production in ':8000' 'listen 80' 'listen 443' 'example.jp' '/etc/ssl/sasaeai' '/var/lib/sasaeai' ':443' '$host$request_uri'; do
  grep -qF -- "$production" "$tmp/nginx/sasaeai.conf" &&
    fail "deploy/nginx/sasaeai.conf changed: '$production' was not rendered for loopback (edit this script)"
done
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/nginx/sasaeai.conf;
}
EOF
nginx_args=(-p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log")
"$NGINX" "${nginx_args[@]}" -t -q || fail "nginx -t refused the rendered deploy/nginx/sasaeai.conf"
"$NGINX" "${nginx_args[@]}"

https() { curl --silent --show-error --cacert "$tmp/ssl/fullchain.pem" --max-time 20 "$@"; }
header() { # FILE NAME: the value of a response header in a curl -D dump
  grep -i "^$2:" "$1" | head -n 1 | cut -d: -f2- | tr -d '\r' | sed 's/^ //'
}
json() { "$VENV/bin/python" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

step "checks over $site"
health="$(https "$site/healthz")"
[ "$(json 'd["status"], d["database"], d["tasks"]["backend"]' <<<"$health")" = "ok ok database" ] ||
  fail "/healthz through nginx: $health"

https -D "$tmp/home.h" -o "$tmp/home.html" "$site/"
grep -q '^HTTP/[0-9.]* 200' "$tmp/home.h" || fail "/ did not answer 200: $(head -n 1 "$tmp/home.h")"
grep -q '<html lang="ja"' "$tmp/home.html" || fail "/ is not in Japanese"
grep -q '気運づくり' "$tmp/home.html" || fail "/ lacks its Japanese text"
for name in Strict-Transport-Security X-Content-Type-Options X-Frame-Options Referrer-Policy; do
  [ -n "$(header "$tmp/home.h" "$name")" ] || fail "/ lacks the security header $name"
done

css="$(grep -o '/static/[^"]*\.[0-9a-f]\{12\}\.css' "$tmp/home.html" | head -n 1)"
[ -n "$css" ] || fail "/ links no hashed stylesheet (collectstatic's manifest)"
https -D "$tmp/css.h" -o /dev/null "$site$css"
grep -q '^HTTP/[0-9.]* 200' "$tmp/css.h" || fail "$css: $(head -n 1 "$tmp/css.h")"
header "$tmp/css.h" Cache-Control | grep -q immutable || fail "$css is not cached as immutable"
# nginx's own answer (WhiteNoise would say max-age=60): the static files bypass gunicorn.
https -D "$tmp/plain.h" -o /dev/null "$site/static/css/sasaeai.css"
[ "$(header "$tmp/plain.h" Cache-Control)" = "public, max-age=3600" ] ||
  fail "/static/ is not served by nginx: $(header "$tmp/plain.h" Cache-Control)"

redirect="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/news/?page=2")"
[ "$redirect" = "301 $site/news/?page=2" ] || fail "HTTP does not redirect to HTTPS: $redirect"

# The body limit: a little over the largest upload is refused by nginx, a small body reaches Django.
head -c $((56 * 1024 * 1024)) /dev/zero >"$tmp/big.bin"
code=$(https -o /dev/null -w '%{http_code}' --data-binary "@$tmp/big.bin" "$site/accounts/login/")
[ "$code" = 413 ] || fail "a 56 MB body was not refused by nginx (HTTP $code)"
head -c $((2 * 1024 * 1024)) /dev/zero >"$tmp/small.bin"
code=$(https -o /dev/null -w '%{http_code}' --data-binary "@$tmp/small.bin" "$site/accounts/login/")
[ "$code" = 403 ] || fail "a 2 MB body did not reach Django's CSRF check (HTTP $code)"
rm -f "$tmp/big.bin" "$tmp/small.bin"

step "sasaeai worker takes a queued task"
task_id="$(admin manage shell --no-imports -c 'from sasaeai.events.reminders import send_reminders_task as t; print(t.enqueue().id)')"
[ "$(https "$site/healthz" | json 'd["tasks"]["ready"] >= 1')" = True ] || fail "/healthz does not see the queued task"
"${admin[@]}" worker >"$tmp/worker.log" 2>&1 &
worker=$!
pids+=("$worker")
ready=""
for _ in $(seq 1 120); do # /healthz is cheap to ask; a Django shell per poll is not
  ready="$(https "$site/healthz" | json 'd["tasks"]["ready"], d["status"]')"
  [ "$ready" = "0 ok" ] && break
  kill -0 "$worker" 2>/dev/null || fail "sasaeai worker stopped"
  sleep 0.5
done
[ "$ready" = "0 ok" ] || fail "/healthz still sees a ready task: $ready"
for _ in 1 2 3 4 5; do # no longer ready: running, and then done
  status="$(admin manage shell --no-imports -c "from django_tasks_db.models import DBTaskResult as R; print(R.objects.get(pk='$task_id').status)")"
  [ "$status" = RUNNING ] || break
done
[ "$status" = SUCCESSFUL ] || fail "the worker did not run the queued task (status $status)"
kill -TERM "$worker"
wait "$worker" || fail "the worker did not stop cleanly on TERM"

step "each timer's command once"
cli_commands="$(admin --help | sed -n 's/^ *{\([a-z,]*\)}.*/\1/p' | head -n 1)"
manage_commands="$(admin manage help --commands)"
missing=()
for unit in deploy/systemd/*.service; do
  case "$unit" in */sasaeai.service | */sasaeai-worker.service) continue ;; esac
  while read -r line; do
    args="${line#ExecStart=/opt/sasaeai/.venv/bin/sasaeai }"
    [ "$args" != "$line" ] || fail "$unit: ExecStart does not run /opt/sasaeai/.venv/bin/sasaeai"
    args="${args//%i/$PREFECTURE}"
    args="${args//\/var\/backups\/sasaeai/$tmp/backups}"
    read -r -a words <<<"$args"
    if [[ ",$cli_commands," != *",${words[0]},"* ]]; then
      missing+=("sasaeai ${words[0]} ($unit)")
      continue
    fi
    if [ "${words[0]}" = manage ] && ! grep -qx "${words[1]}" <<<"$manage_commands"; then
      missing+=("sasaeai manage ${words[1]} ($unit)")
      continue
    fi
    echo "    $(basename "$unit"): sasaeai $args"
    admin "${words[@]}" >"$tmp/job.log" 2>&1 || { cat "$tmp/job.log"; fail "$unit: sasaeai $args"; }
  done < <(grep '^ExecStart=' "$unit")
done

step "systemd units"
if command -v systemd-analyze >/dev/null; then
  mkdir "$tmp/units"
  for unit in deploy/systemd/*; do
    sed -e "s#/opt/sasaeai/.venv#$VENV#g" -e "s#/opt/sasaeai#$repo#g" \
      -e "s#/etc/sasaeai/sasaeai.env#$env_file#" "$unit" >"$tmp/units/$(basename "$unit")"
  done
  for kind in service timer; do # a template is checked through one instance
    cp "$tmp/units/sasaeai-remind-dues@.$kind" "$tmp/units/sasaeai-remind-dues@$PREFECTURE.$kind"
  done
  (cd "$tmp/units" && systemd-analyze verify --man=no -- *[^@].service *[^@].timer) ||
    fail "systemd-analyze verify refused a unit in deploy/systemd"
else
  echo "    systemd-analyze is not installed: the units' commands were checked above and by pytest"
fi

if [ "${#missing[@]}" -gt 0 ]; then
  printf '    missing command: %s\n' "${missing[@]}" >&2
  fail "the systemd timers run commands this checkout does not have (above)"
fi
step "deployment recipe checked"
