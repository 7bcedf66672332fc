#!/usr/bin/env bats
# Crash consistency of modify (see tests/roots/store-crash.bats): --addattr and
# --jsonfile killed with SIGKILL before each of their system calls.
load ../lib/helpers
load ../lib/store-crash

@test "modify --addattr killed at every system call" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
	sweep modify -u "$U1" --addattr b --value 1
}

@test "modify --jsonfile killed at every system call" {
	write_def "$ROOT" p "$U1" '{"mdev_type":"t","start":"manual","attrs":[{"a":"0"}]}'
	sweep modify -u "$U1" -p p --jsonfile "$W/in.json"
}

