#!/bin/sh
# Container entry point: turn secret files into settings, then run the command.
#
# For every variable CHATDATA_<NAME>_FILE (e.g. CHATDATA_JWT_SECRET_FILE=/run/secrets/jwt_secret)
# the file's content (without its trailing newline) becomes CHATDATA_<NAME>, and the _FILE
# variable is removed. An empty or missing file sets nothing, so an optional secret (such as
# the LLM key) can stay unset. Secrets thus never appear in the compose file or `docker inspect`.
set -eu

for name in $(env | sed -n 's/^\(CHATDATA_[A-Z0-9_]*\)_FILE=.*/\1/p'); do
    file=$(printenv "${name}_FILE")
    unset "${name}_FILE"
    if [ -s "$file" ]; then
        value=$(cat "$file")
        export "$name=$value"
    fi
done

exec "$@"
