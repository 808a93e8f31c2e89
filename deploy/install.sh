#!/bin/sh
# Installs Sasae-ai on a fresh Debian 12 from the checkout in /opt/sasaeai, as root:
#
#   apt-get install -y git
#   git clone REPOSITORY /opt/sasaeai
#   sh /opt/sasaeai/deploy/install.sh sasaeai.example.jp 33
#
# Arguments: the site's name and the JIS code of the center's prefecture. Running it again
# keeps the environment file, the database and the certificate, and brings the rest up to date.
# README 本番環境への配置 explains each step; tools/deploy-check.sh runs the same commands in CI.
set -eu
site="${1:?usage: install.sh SITE_NAME PREFECTURE_CODE (e.g. sasaeai.example.jp 33)}"
prefecture="${2:?usage: install.sh SITE_NAME PREFECTURE_CODE (e.g. sasaeai.example.jp 33)}"
home=/opt/sasaeai
data=/var/lib/sasaeai
backups=/var/backups/sasaeai
env_file=/etc/sasaeai/sasaeai.env
cd "$home"

echo "== Debian packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  python3 python3-venv make nodejs npm git openssl curl ca-certificates \
  postgresql postgresql-client nginx \
  fonts-ipaexfont-gothic fonts-ipaexfont-mincho libpango-1.0-0 libpangoft2-1.0-0

echo "== user, folders"
id sasaeai >/dev/null 2>&1 || adduser --system --group --home "$data" --no-create-home sasaeai
install -d -o sasaeai -g sasaeai -m 0750 "$data" "$backups"
install -d -o root -g sasaeai -m 0750 /etc/sasaeai
chown -R sasaeai:sasaeai "$home"

echo "== environment file"
if [ ! -f "$env_file" ]; then
  secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
  sed -e "s/^SECRET_KEY=.*/SECRET_KEY=$secret/" \
      -e "s/sasaeai\.example\.jp/$site/g" \
      -e "s/^SASAEAI_DEFAULT_PREFECTURE=.*/SASAEAI_DEFAULT_PREFECTURE=$prefecture/" \
      deploy/sasaeai.env.example > "$env_file"
  chown root:sasaeai "$env_file"
  chmod 0640 "$env_file"
  echo "   wrote $env_file: check the mail settings in it"
fi

echo "== PostgreSQL (peer authentication: the sasaeai user owns the sasaeai database)"
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'sasaeai'" | grep -q 1 \
  || runuser -u postgres -- createuser sasaeai
runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'sasaeai'" | grep -q 1 \
  || runuser -u postgres -- createdb -O sasaeai -T template0 -E UTF8 \
       --lc-ctype=C.UTF-8 --lc-collate=C.UTF-8 sasaeai

echo "== application (as sasaeai: virtualenv, Python and npm packages, assets)"
runuser -u sasaeai -- sh -c '
  set -eu
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e .
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build
'
install -m 0755 deploy/sasaeai-admin /usr/local/bin/sasaeai-admin

echo "== database, translations, static files, regions"
sasaeai-admin manage migrate --noinput
sasaeai-admin manage compilemessages_py
sasaeai-admin manage collectstatic --noinput
sasaeai-admin manage load_regions

echo "== systemd: web, worker, daily jobs"
install -m 0644 deploy/systemd/*.service deploy/systemd/*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now sasaeai.service sasaeai-worker.service
for timer in backup purge-personal-data purge-subscribers housekeeping remind-events \
  remind-grant-reports "remind-dues@$prefecture"; do
  systemctl enable --now "sasaeai-$timer.timer"
done

echo "== nginx with TLS"
if [ ! -f /etc/ssl/sasaeai/fullchain.pem ]; then
  # A placeholder so that nginx starts: replace it with the real certificate.
  install -d -m 0755 /etc/ssl/sasaeai
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$site" \
    -addext "subjectAltName=DNS:$site" \
    -keyout /etc/ssl/sasaeai/privkey.pem -out /etc/ssl/sasaeai/fullchain.pem 2>/dev/null
  chmod 0600 /etc/ssl/sasaeai/privkey.pem
  echo "   WARNING: a self-signed certificate for 30 days is in /etc/ssl/sasaeai: replace it"
fi
install -d -m 0755 /var/www/letsencrypt
sed -e "s/sasaeai\.example\.jp/$site/g" deploy/nginx/sasaeai.conf > /etc/nginx/sites-available/sasaeai
ln -sf /etc/nginx/sites-available/sasaeai /etc/nginx/sites-enabled/sasaeai
rm -f /etc/nginx/sites-enabled/default
nginx -t
systemctl reload-or-restart nginx

echo "== health"
sleep 2
curl --silent --show-error --insecure --resolve "$site:443:127.0.0.1" "https://$site/healthz"
echo
echo "Next: sasaeai-admin manage createsuperuser, then sign in at https://$site/admin/ and"
echo "create the center of prefecture $prefecture (README 本番環境への配置)."
