#!/bin/sh
# Create the secret files docker-compose.yml reads, with fresh random values:
#   sh deploy/make-secrets.sh [directory]     (default: deploy/secrets)
# Existing files are kept, so running it again never rotates a secret by accident.
# Put your model's key into llm_api_key (left empty: the built-in analyst answers).
# The directory is 0700 (only you); the files are 0644 because compose bind-mounts them
# as they are and the containers read them as their own non-root users.
set -eu
umask 077
dir=${1:-$(dirname "$0")/secrets}
mkdir -p "$dir"
chmod 0700 "$dir"

random() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

write() { # name value: write the file unless it exists
    if [ ! -e "$dir/$1" ]; then printf '%s\n' "$2" > "$dir/$1"; fi
}

write jwt_secret "$(random 48)"
write postgres_password "$(random 24)"
write database_url "postgresql+asyncpg://chatdata:$(cat "$dir/postgres_password")@postgres:5432/chatdata"
write s3_access_key_id "chatdata$(random 6)"
write s3_secret_access_key "$(random 32)"
write metrics_token "$(random 24)"
[ -e "$dir/llm_api_key" ] || : > "$dir/llm_api_key"
chmod 0644 "$dir"/*
echo "secrets in $dir:"
ls -l "$dir"
