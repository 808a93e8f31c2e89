#!/bin/sh
# Upgrades Sasae-ai in /opt/sasaeai to the newest commit of its branch, as root:
#
#   sh /opt/sasaeai/deploy/upgrade.sh
#
# The worker stops first (no task runs against a half-migrated database), a backup is taken,
# then the code, packages, migrations and static files are brought up to date and everything
# restarts. The web keeps serving meanwhile: releases whose notes say a migration is not
# backward compatible are done with `systemctl stop sasaeai.service` before this script.
# Rollback (README 本番環境への配置): the previous commit and the backup printed at the end.
set -eu
home=/opt/sasaeai
backups=/var/backups/sasaeai
cd "$home"
previous="$(runuser -u sasaeai -- git rev-parse HEAD)"

echo "== stop the worker"
systemctl stop sasaeai-worker.service

echo "== backup"
sasaeai-admin backup "$backups"
archive="$(ls -t "$backups" | head -n 1)"

echo "== code and packages"
runuser -u sasaeai -- sh -c '
  set -eu
  git pull --ff-only
  .venv/bin/pip install --quiet -e .
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent build
'

echo "== database, translations, static files, regions"
sasaeai-admin manage migrate --noinput
sasaeai-admin manage compilemessages_py
sasaeai-admin manage collectstatic --noinput
sasaeai-admin manage load_regions
install -m 0755 deploy/sasaeai-admin /usr/local/bin/sasaeai-admin
install -m 0644 deploy/systemd/*.service deploy/systemd/*.timer /etc/systemd/system/
systemctl daemon-reload

echo "== restart"
systemctl restart sasaeai.service
systemctl start sasaeai-worker.service
sleep 3
site="$(sed -n 's/^ALLOWED_HOSTS=\([^,]*\).*/\1/p' /etc/sasaeai/sasaeai.env)"
curl --silent --show-error --insecure --resolve "$site:443:127.0.0.1" "https://$site/healthz"
echo
echo "Upgraded from $previous to $(runuser -u sasaeai -- git rev-parse HEAD)."
echo "To roll back: README 本番環境への配置, with commit $previous and backup $backups/$archive"
