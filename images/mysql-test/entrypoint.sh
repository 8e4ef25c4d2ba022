#!/bin/bash
# The test image's entrypoint: what the official mysql image does with MYSQL_ROOT_PASSWORD,
# MYSQL_DATABASE, MYSQL_USER and MYSQL_PASSWORD (Testcontainers.MySql sets them), on Debian's mysqld.
# The image carries a datadir initialised at build time (without auto.cnf and certificates, so each
# container gets its own server UUID and keys); the accounts are made by an --init-file at the
# first start, so a container starts mysqld once. Client calls, if any, need --no-defaults:
# Testcontainers copies a my.cnf whose [client] section says protocol=TCP.
set -euo pipefail

datadir=/var/lib/mysql
template=/var/lib/mysql-template
case "${1:-mysqld}" in
    mysqld) shift || true ;;
    -*) ;;
    *) exec "$@" ;;
esac

# GTIDs on by default (later arguments win, e.g. --gtid-mode=OFF); root runs mysqld in the container.
server=(/usr/sbin/mysqld --no-defaults --user=root --datadir="$datadir" --socket=/run/mysqld/mysqld.sock
    --pid-file=/run/mysqld/mysqld.pid --bind-address=0.0.0.0 --port=3306 --skip-name-resolve
    --gtid-mode=ON --enforce-gtid-consistency=ON --log-bin=mysql-bin --mysqlx=OFF)
mkdir -p /run/mysqld "$datadir" /var/lib/mysql-files

if [ ! -d "$datadir/mysql" ]; then
    : "${MYSQL_ROOT_PASSWORD:?entrypoint: MYSQL_ROOT_PASSWORD is not set}"
    if [ -d "$template/mysql" ]; then
        cp -a "$template/." "$datadir/"
    else
        "${server[@]}" --initialize-insecure "$@"
    fi
    quote() { printf "'%s'" "${1//\'/\'\'}"; }
    init=/run/mysqld/init.sql
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
    } >"$init"
    chmod 0600 "$init"
    echo "entrypoint: first start of $datadir"
    exec "${server[@]}" --init-file="$init" "$@"
fi

exec "${server[@]}" "$@"
