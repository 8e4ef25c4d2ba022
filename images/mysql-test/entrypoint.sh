#!/bin/bash
# The test image's entrypoint: what the official mysql image does with MYSQL_ROOT_PASSWORD,
# MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD (Testcontainers.MySql sets them), on Debian's mysqld.
# Initialisation talks to a --skip-networking server over its socket; every client call carries
# --no-defaults because Testcontainers copies a my.cnf whose [client] section says protocol=TCP.
set -euo pipefail

datadir=/var/lib/mysql
if [ "${1:-mysqld}" != mysqld ]; then
    exec "$@"
fi
shift || true

# GTIDs on by default (later arguments win, e.g. --gtid-mode=OFF); root runs mysqld in the container.
server=(/usr/sbin/mysqld --no-defaults --user=root --datadir="$datadir" --socket=/run/mysqld/mysqld.sock
    --pid-file=/run/mysqld/mysqld.pid --bind-address=0.0.0.0 --port=3306 --skip-name-resolve
    --gtid-mode=ON --enforce-gtid-consistency=ON --log-bin=mysql-bin --mysqlx=OFF)
mkdir -p /run/mysqld "$datadir"

if [ ! -d "$datadir/mysql" ]; then
    : "${MYSQL_ROOT_PASSWORD:?entrypoint: MYSQL_ROOT_PASSWORD is not set}"
    echo "entrypoint: initialising $datadir"
    "${server[@]}" --initialize-insecure "$@"
    "${server[@]}" --skip-networking --socket=/run/mysqld/init.sock "$@" &
    pid=$!
    for _ in $(seq 1 600); do
        mysqladmin --no-defaults --socket=/run/mysqld/init.sock -uroot ping >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { echo "entrypoint: mysqld exited during initialisation" >&2; exit 1; }
        sleep 0.1
    done
    quote() { printf "'%s'" "${1//\'/\'\'}"; }
    {
        echo "SET @@SESSION.SQL_LOG_BIN = 0;"
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(quote "$MYSQL_ROOT_PASSWORD");"
        echo "CREATE USER 'root'@'%' IDENTIFIED BY $(quote "$MYSQL_ROOT_PASSWORD");"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
        if [ -n "${MYSQL_DATABASE:-}" ]; then
            echo "CREATE DATABASE IF NOT EXISTS \`${MYSQL_DATABASE//\`/\`\`}\`;"
        fi
        if [ -n "${MYSQL_USER:-}" ] && [ "$MYSQL_USER" != root ]; then
            echo "CREATE USER $(quote "$MYSQL_USER")@'%' IDENTIFIED BY $(quote "${MYSQL_PASSWORD:-}");"
            if [ -n "${MYSQL_DATABASE:-}" ]; then
                echo "GRANT ALL ON \`${MYSQL_DATABASE//\`/\`\`}\`.* TO $(quote "$MYSQL_USER")@'%';"
            fi
        fi
    } | mysql --no-defaults --socket=/run/mysqld/init.sock -uroot
    mysqladmin --no-defaults --socket=/run/mysqld/init.sock -uroot -p"$MYSQL_ROOT_PASSWORD" shutdown
    wait "$pid" || true
    echo "entrypoint: initialised"
fi

exec "${server[@]}" "$@"
