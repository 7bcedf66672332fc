#!/usr/bin/env bats
# Definition files: mdevctl's parsing rules (spec §2.4) and its exact bytes
# (§2.5), through mdevkit's CLI on fixture roots.
load ../lib/helpers

U=11111111-2222-3333-4444-555555555555

setup() {
	mk_root
}

# parses TEXT as the definition $U of parent p; prints what mdevkit read
read_def() {
	write_def "$ROOT" p "$U" "$1"
	run --separate-stderr "$MDEVKIT" list -d -u "$U" --dumpjson
}

@test "serialiser: a device without attributes is mdevctl's 69 bytes" {
	run "$MDEVKIT" define -u "$U" -p 0000:00:02.0 -t i915-GVTg_V5_4 --auto
	assert_success
	assert_output ""
	cmp "$ROOT/etc/mdevctl.d/0000:00:02.0/$U" "$FIXTURES/golden/gvt-auto.json"
}

@test "serialiser: attributes in order, pretty, no final newline" {
	"$MDEVKIT" define -u "$U" -p matrix -t vfio_ap-passthrough
	"$MDEVKIT" modify -u "$U" --addattr assign_domain --value 0xab
	"$MDEVKIT" modify -u "$U" --addattr assign_adapter --value 5 --index 0
	cmp "$ROOT/etc/mdevctl.d/matrix/$U" "$FIXTURES/golden/ap-attrs.json"
}

@test "serialiser: escaping as serde_json, non-ASCII raw" {
	"$MDEVKIT" define -u "$U" -p p -t "$(printf 'q"b\\sé€😀')"
	"$MDEVKIT" modify -u "$U" --addattr ctl --value "$(printf '\001\b\t\n\f\r\037/\177"\\')"
	cmp "$ROOT/etc/mdevctl.d/p/$U" "$FIXTURES/golden/escapes.json"
}

@test "serialiser: --dumpjson of one device is the file's bytes plus a newline" {
	cp "$FIXTURES/golden/ap-attrs.json" "$BATS_TEST_TMPDIR/f.json"
	"$MDEVKIT" define -u "$U" -p matrix --jsonfile "$BATS_TEST_TMPDIR/f.json"
	run "$MDEVKIT" list -d -u "$U" --dumpjson
	assert_output "$(cat "$FIXTURES/golden/ap-attrs.json")"
	cmp "$ROOT/etc/mdevctl.d/matrix/$U" "$FIXTURES/golden/ap-attrs.json"
}

@test "parse: unknown keys are ignored and dropped on rewrite" {
	read_def '{"comment":"x","uuid":"y","mdev_type":"t","start":"auto","n":{"a":[1]}}'
	assert_success
	"$MDEVKIT" modify -u "$U" --manual
	run cat "$ROOT/etc/mdevctl.d/p/$U"
	assert_output "$(printf '{\n  "mdev_type": "t",\n  "start": "manual",\n  "attrs": []\n}')"
}

@test "parse: duplicate keys, the last one wins" {
	read_def '{"mdev_type":"a","start":"manual","mdev_type":"b","start":"auto"}'
	assert_output --partial '"mdev_type": "b"'
	assert_output --partial '"start": "auto"'
}

@test "parse: mdev_type missing or null is 'invalid json'" {
	for t in '{"start":"auto"}' '{"mdev_type":null,"start":"auto"}'; do
		read_def "$t"
		assert_success
		assert_output "[]"
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid json; fix the file or remove it"
	done
}

@test "parse: start missing or null is 'invalid json'" {
	for t in '{"mdev_type":"t"}' '{"mdev_type":"t","start":null}'; do
		read_def "$t"
		assert_output "[]"
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid json; fix the file or remove it"
	done
}

@test "parse: a top level that is not an object is 'invalid json'" {
	for t in '[1]' '42' '"s"' 'null' 'true'; do
		read_def "$t"
		assert_output "[]"
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid json; fix the file or remove it"
	done
}

@test "parse: a non-string mdev_type is an error, not a crash" {
	for t in '{"mdev_type":42,"start":"auto"}' '{"mdev_type":["x"],"start":"auto"}'; do
		read_def "$t"
		assert_success
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid json: mdev_type must be a string; fix the file or remove it"
	done
}

@test "parse: start is auto only for exactly \"auto\"" {
	for t in '"manual"' '"AUTO"' '"yes"' 'true' '1' '{}'; do
		read_def "{\"mdev_type\":\"t\",\"start\":$t}"
		assert_output --partial '"start": "manual"'
	done
	read_def '{"mdev_type":"t","start":"auto"}'
	assert_output --partial '"start": "auto"'
}

@test "parse: attrs missing or null means no attributes" {
	for t in '' ',"attrs":null'; do
		read_def "{\"mdev_type\":\"t\",\"start\":\"auto\"$t}"
		assert_output --partial '"attrs": []'
	done
}

@test "parse: attrs that is not an array" {
	for t in '{}' '"a"' '1'; do
		read_def "{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":$t}"
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": attributes field is not an array; fix the file or remove it"
	done
}

@test "parse: an attribute that is not an object" {
	read_def '{"mdev_type":"t","start":"auto","attrs":["a"]}'
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid JSON format for attribute: not an object; fix the file or remove it"
}

@test "parse: an attribute object with zero or two keys" {
	for t in '{}' '{"a":"1","b":"2"}'; do
		read_def "{\"mdev_type\":\"t\",\"start\":\"auto\",\"attrs\":[$t]}"
		assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid JSON format for attribute: too many fields; fix the file or remove it"
	done
}

@test "parse: a non-string attribute value is an error, not a crash" {
	read_def '{"mdev_type":"t","start":"auto","attrs":[{"a":1}]}'
	assert_success
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid JSON format for attribute {\"a\", 1}: value must be of type str; fix the file or remove it"
}

@test "parse: attribute order is kept and duplicate names are allowed" {
	read_def '{"mdev_type":"t","start":"auto","attrs":[{"b":"1"},{"a":"2"},{"b":"3"}]}'
	run "$MDEVKIT" list -d -v
	assert_output "$(printf '%s p t auto\n  Attrs:\n    @{0}: {"b":"1"}\n    @{1}: {"a":"2"}\n    @{2}: {"b":"3"}\n' "$U")"
}

@test "parse: syntax errors, trailing characters and empty files are reported" {
	read_def ''
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": JSON syntax error: the text is empty; fix the file or remove it"
	read_def '{"mdev_type":"t","start":"auto"} x'
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": JSON syntax error at line 1 column 34: trailing characters; fix the file or remove it"
	for t in '{"mdev_type":"t","start":"auto",}' "{'mdev_type':'t','start':'auto'}" \
		'{"mdev_type":"t",/*c*/"start":"auto"}' '{"mdev_type":"t","start":"auto"' \
		'{"mdev_type":"t","start":NaN}'; do
		read_def "$t"
		assert_output "[]"
		assert_regex "$stderr" '^Warning: Skipping definition ".*": JSON syntax error( at line 1 column [0-9]+)?: .*; fix the file or remove it$'
	done
}

@test "parse: whitespace, key order and a trailing newline do not matter (bash-era files)" {
	read_def "$(printf '{\n\t"attrs" : [ ],\n\t"start" : "auto",\n\t"mdev_type" : "t"\n}\n\n')"
	assert_output "$(printf '{\n  "mdev_type": "t",\n  "start": "auto",\n  "attrs": []\n}')"
}

@test "parse: invalid UTF-8 and NUL bytes are reported" {
	mkdir -p "$ROOT/etc/mdevctl.d/p"
	printf '{"mdev_type":"\377","start":"auto"}' > "$ROOT/etc/mdevctl.d/p/$U"
	run --separate-stderr "$MDEVKIT" list -d
	assert_output ""
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": JSON syntax error: the text is not valid UTF-8; fix the file or remove it"
	printf '{"mdev_type":"t\\u0000x","start":"auto"}' > "$ROOT/etc/mdevctl.d/p/$U"
	run --separate-stderr "$MDEVKIT" list -d
	assert_equal "$stderr" "Warning: Skipping definition \"$ROOT/etc/mdevctl.d/p/$U\": invalid json: mdev_type contains a NUL character; fix the file or remove it"
}

@test "--jsonfile: the same parser, errors name the file" {
	printf '{"mdev_type":"t","start":"auto","attrs":{}}' > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr "$MDEVKIT" define -p p --jsonfile "$BATS_TEST_TMPDIR/bad.json"
	assert_failure 1
	assert_equal "$stderr" "Error: attributes field is not an array"
	run --separate-stderr "$MDEVKIT" define -p p --jsonfile "$BATS_TEST_TMPDIR/missing.json"
	assert_failure 1
	assert_equal "$stderr" "$(printf 'Error: Unable to read file "%s"\n\nCaused by:\n    No such file or directory (os error 2)' "$BATS_TEST_TMPDIR/missing.json")"
	assert_file_not_exists "$ROOT/etc/mdevctl.d/p"
}

@test "--jsonfile /dev/stdin, as libvirt passes it" {
	run --separate-stderr "$MDEVKIT" define --parent=p --jsonfile=/dev/stdin --uuid="$U" \
		<<< '{"mdev_type":"i915-GVTg_V5_4","start":"auto","attrs":[]}'
	assert_success
	cmp "$ROOT/etc/mdevctl.d/p/$U" "$FIXTURES/golden/gvt-auto.json"
	run "$MDEVKIT" define --parent=p --jsonfile=/dev/stdin <<< '{"mdev_type":"x","start":"manual"}'
	assert_success
	assert_regex "$output" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	assert_file_exists "$ROOT/etc/mdevctl.d/p/$output"
}
