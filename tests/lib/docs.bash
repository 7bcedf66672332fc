# Readers of --help texts, man page sources and README.md, for tests that
# compare them.  An option is printed as one line "SHORT LONG VALUE":
# "-u --uuid v", "- --dumpjson -", "-t - v" ("-" for a missing part, "v"
# when the option takes a value).

# help_options: the options listed under "Options:" of a --help text (stdin).
help_options() {
	awk '
	/^Options:/ { on = 1; next }
	on && /^$/ { on = 0 }
	on && /^ +-/ {
		short = "-"; long = "-"; value = "-"
		for (i = 1; i <= NF; i++) {
			w = $i
			if (w ~ /^-[A-Za-z0-9],?$/) { sub(/,$/, "", w); short = w }
			else if (w ~ /^--[a-z][a-z-]*$/) long = w
			else if (w ~ /^<[^>]*>$/) value = "v"
			else break
		}
		print short, long, value
	}'
}

# help_commands: the commands listed under "Commands:" of mdevkit --help (stdin).
help_commands() {
	awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }'
}

# man_part FILE SECTION [SUBSECTION]: the source lines of a section; with
# SUBSECTION only that .SS, with SUBSECTION "-" only the text before the
# first .SS.  Headings are compared without roff escapes and quotes.
man_part() {
	awk -v sh="$2" -v ss="${3:-}" '
	function plain(s) { gsub(/\\-/, "-", s); gsub(/"/, "", s); return s }
	/^\.SH / { in_sh = plain(substr($0, 5)) == sh; in_ss = ss == "" || ss == "-"; next }
	/^\.SS / { in_ss = ss != "-" && (ss == "" || plain(substr($0, 5)) == ss); next }
	in_sh && in_ss
	' "$1"
}

# man_subsections FILE SECTION: the .SS headings of a section.
man_subsections() {
	awk -v sh="$2" '
	function plain(s) { gsub(/\\-/, "-", s); gsub(/"/, "", s); return s }
	/^\.SH / { in_sh = plain(substr($0, 5)) == sh; next }
	in_sh && /^\.SS / { print plain(substr($0, 5)) }
	' "$1"
}

# man_options: the options of man source lines (stdin): the tag lines of
# .TP paragraphs that start with an option, e.g.
#   \fB\-u\fR, \fB\-\-uuid\fR \fIuuid\fR
man_options() {
	awk '
	prev_tp && /^\\fB\\-/ {
		value = index($0, "\\fI") ? "v" : "-"
		line = $0
		gsub(/\\f[BIRP]/, "", line); gsub(/\\-/, "-", line)
		short = "-"; long = "-"
		n = split(line, w, /[ ]+/)
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^-[A-Za-z0-9],?$/) { sub(/,$/, "", w[i]); short = w[i] }
			else if (w[i] ~ /^--[a-z][a-z-]*$/) long = w[i]
			else break
		}
		print short, long, value
	}
	{ prev_tp = /^\.TP/ }'
}

# readme_commands FILE: "COMMAND<TAB>USAGE" for each row of the table in the
# "## Commands" section.
readme_commands() {
	awk '
	/^## / { on = $0 == "## Commands"; next }
	on && /^\| `/ {
		line = $0; gsub(/\\\|/, "\001", line)  # an escaped | inside a cell
		split(line, cell, "|")
		usage = cell[2]; sub(/^ *`/, "", usage); sub(/`.*$/, "", usage)
		gsub(/\001/, "|", usage)
		cmd = usage; sub(/ .*/, "", cmd)
		print cmd "\t" usage
	}' "$1"
}
