#!/usr/bin/env bash
# Prints an IP allowlist of 50 entries for bench/compare-token.sh's BENCH_ALLOWED_IPS: 49 ranges that do not match
# and, last, 127.0.0.1, so every exchange from the load generator walks the whole list before it is allowed.
for i in $(seq 1 24); do printf '198.51.%d.0/24,' "$i"; done
for i in $(seq 1 25); do printf '2001:db8:%x::/48,' "$i"; done
printf '127.0.0.1\n'
