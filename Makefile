# mdevkit - build, test and install.
#
#   make                 build everything into $(BUILD) (default build/)
#   make check           build, then run every test tier (also an ASan+UBSan build)
#   make demo            walk through mdevkit on a simulated GVT-g host
#   make bench           compare mdevkit with mdevctl, write bench/RESULTS.md
#   make fuzz            libFuzzer harnesses (clang) into build/fuzz/, FUZZ_SECONDS each
#   make install         honours DESTDIR and PREFIX
#   make uninstall       removes what make install put, with the same variables
#   make install-mdevctl    mdevctl and lsmdev in $(SBINDIR) run mdevkit (opt-in)
#   make uninstall-mdevctl  gives those names back to the system's mdevctl
#   make programs        only what gets installed (no simulator, no unit tests)
#   make units           only the udev rule and the systemd units, into $(BUILD)
#   make clean

BUILD    ?= build
CC       ?= gcc
CFLAGS   ?= -O2 -g
SAN      ?=
VERSION  := $(shell cat VERSION)

# --- paths set at build time ---------------------------------------------
# Where make install puts things and what the programs, the udev rule and
# the units use or call.  The defaults are Debian's layout; a distribution
# that keeps everything under one prefix (NixOS) sets them all.  A change of
# value rebuilds what holds it (the stamps $(BUILD)/paths-*).
PREFIX     ?= /usr
BINDIR     ?= $(PREFIX)/bin
# before $(PREFIX)/bin in root's and libvirtd's PATH (install-mdevctl)
SBINDIR    ?= $(PREFIX)/sbin
# helper programs that mdevkit runs itself
LIBEXECDIR ?= $(PREFIX)/libexec/mdevkit
MANDIR     ?= $(PREFIX)/share/man
# the Proxmox VE hookscript, to be copied into a snippets storage
PKGDATADIR ?= $(PREFIX)/share/mdevkit
SYSCONFDIR ?= /etc
# the definitions (shared with mdevctl and libvirt), mdevkit's own settings
STOREDIR   ?= $(SYSCONFDIR)/mdevctl.d
CONFDIR    ?= $(SYSCONFDIR)/mdevkit
# mdevctl 1.3+ looks for callouts here whatever the prefix is
MDEVCTL_LIBDIR ?= /usr/lib/mdevctl
# what the udev rule and the units run; a bare name is looked up by udev in
# its own directory (where make install puts mdevkit-udev), by systemd in
# its executable search path
SYSTEMCTL        ?= /bin/systemctl
SYSTEMD_ESCAPE   ?= /bin/systemd-escape
UDEVADM          ?= udevadm
MDEVKIT_BIN      ?= $(BINDIR)/mdevkit
MDEVKIT_UDEV_BIN ?= mdevkit-udev

# compiled into env.c (MDEVCTL_ENV_ROOT still prefixes the first three)
PATHS_c     := STOREDIR CONFDIR MDEVCTL_LIBDIR LIBEXECDIR
# substituted for @NAME@ in udev-rules/*.in and systemd-units/*.in
PATHS_units := STOREDIR CONFDIR SYSTEMCTL SYSTEMD_ESCAPE UDEVADM MDEVKIT_BIN MDEVKIT_UDEV_BIN

PKGS_CORE := json-c uuid
# libudev: linked into mdevkit-udev only; the readiness wait of `start`
# loads it with dlopen (src/lib/libudev-dl.c), so the library needs its
# header alone
PKGS_UDEV := libudev
# libxml2 costs 1.1 ms per exec (it pulls ICU): only the programs that read
# or write XML (the libvirt hook, mdevkit-xml) link it, never mdevkit itself
PKGS_XML  := libxml-2.0
WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes
BASEFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -DMDEVKIT_VERSION='"$(VERSION)"' $(WARN)
ifneq ($(SAN),)
BASEFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN     := -fsanitize=address,undefined
endif
ALL_CFLAGS = $(BASEFLAGS) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS_CORE) $(PKGS_UDEV))
# json-c and libuuid are linked in from their static archives (Debian's
# libjson-c-dev and uuid-dev ship them) when present: the dynamic loader
# spends about 0.1 ms of every exec on each shared library, and libvirt,
# udev and the callouts exec mdevkit's programs often.  STATIC_LIBS= links
# them shared.
STATIC_LIBS ?= json-c uuid
static_lib  = $(if $(filter $(1),$(STATIC_LIBS)),$(wildcard $(shell pkg-config --variable=libdir $(1))/lib$(1).a))
CORE_LIBS   = $(foreach p,$(PKGS_CORE),$(or $(call static_lib,$(p)),$(shell pkg-config --libs $(p))))
XML_CFLAGS = $(shell pkg-config --cflags $(PKGS_XML))
XML_LIBS   = $(shell pkg-config --libs $(PKGS_XML))

LIB_SRC     := $(sort $(wildcard src/lib/*.c))
CLI_SRC     := $(sort $(wildcard src/mdevkit/*.c))
UDEV_SRC    := $(sort $(wildcard src/udev/*.c))
CALLOUT_SRC := $(sort $(wildcard callouts/*.c))
HOOK_SRC    := $(sort $(wildcard src/libvirt-hook/*.c))
XML_SRC     := $(sort $(wildcard src/xml/*.c))
SIMFS_SRC   := $(sort $(wildcard tests/simfs/*.c))
UNIT_SRC    := $(sort $(wildcard tests/unit/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB := $(BUILD)/libmdevkit.a

# what gets installed, and the test tools (simulator, unit-test driver)
PROGRAMS      := $(BUILD)/mdevkit $(BUILD)/mdevkit-gvt $(BUILD)/mdevkit-udev \
		 $(BUILD)/mdevkit-libvirt-hook $(BUILD)/mdevkit-xml
TEST_PROGRAMS := $(BUILD)/mdevkit-simfs $(BUILD)/mdevkit-unit

# the udev rule and the units, with the build-time paths filled in
RULES_IN  := $(sort $(wildcard udev-rules/*.rules.in))
UNIT_IN   := $(sort $(wildcard systemd-units/*.in))
HOOK_IN   := contrib/proxmox/mdevkit-hook.in
GENERATED := $(patsubst %.in,$(BUILD)/%,$(RULES_IN) $(UNIT_IN) $(HOOK_IN))

.PHONY: all programs units check demo bench install install-units uninstall clean FORCE
all: $(PROGRAMS) $(TEST_PROGRAMS) $(GENERATED)
programs: $(PROGRAMS) $(GENERATED)
units: $(GENERATED)

# V=1 shows the full commands
Q := $(if $(V),,@)
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/mdevkit: $(call obj,$(CLI_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

# the library's XML objects are compiled with libxml2's flags and only
# pulled from the archive by the programs that link libxml2
$(BUILD)/obj/src/lib/vmconfig-xml.o $(call obj,$(XML_SRC)): EXTRA_CFLAGS = $(XML_CFLAGS)

$(BUILD)/mdevkit-xml: $(call obj,$(XML_SRC) src/mdevkit/cli.c src/mdevkit/cli-vm.c) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(XML_LIBS)

$(BUILD)/mdevkit-gvt: $(call obj,$(CALLOUT_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/mdevkit-udev: $(call obj,$(UDEV_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(shell pkg-config --libs $(PKGS_UDEV))

$(BUILD)/obj/src/libvirt-hook/%.o: EXTRA_CFLAGS = $(XML_CFLAGS)
$(BUILD)/mdevkit-libvirt-hook: $(call obj,$(HOOK_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(XML_LIBS)

$(BUILD)/obj/tests/simfs/%.o: EXTRA_CFLAGS = $(shell pkg-config --cflags fuse3)
# the simulator stands in for the kernel: it shares no code with mdevkit
$(BUILD)/mdevkit-simfs: $(call obj,$(SIMFS_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(shell pkg-config --libs fuse3) -lpthread

$(BUILD)/mdevkit-unit: $(call obj,$(UNIT_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# $(BUILD)/paths-c, $(BUILD)/paths-units: NAME=value of PATHS_c / PATHS_units,
# rewritten only when a value changes.  A value may hold only characters
# that need no quoting in C, sed, a udev rule or a unit file.
$(BUILD)/paths-%: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(foreach v,$(PATHS_$*),'$(v)=$($(v))') > $@.$$$$.tmp && \
	while IFS= read -r l; do case $${l#*=} in \
		""|*[!A-Za-z0-9/._+-]*) echo "make: $$l: a build-time path may hold only letters, digits and / . _ + - (and not be empty)" >&2; \
			rm -f $@.$$$$.tmp; exit 1 ;; esac; done < $@.$$$$.tmp && \
	if cmp -s $@.$$$$.tmp $@; then rm -f $@.$$$$.tmp; else mv -f $@.$$$$.tmp $@; fi
FORCE:

$(BUILD)/obj/src/lib/env.o: $(BUILD)/paths-c
$(BUILD)/obj/src/lib/env.o: EXTRA_CFLAGS = $(foreach v,$(PATHS_c),-DMDK_$(v)='"$($(v))"')

$(GENERATED): $(BUILD)/%: %.in $(BUILD)/paths-units
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)sed $(foreach v,$(PATHS_units),-e 's|@$(v)@|$($(v))|g') $< > $@.$$$$.tmp && \
	if grep -n '@[A-Z_][A-Z_]*@' $@.$$$$.tmp >&2; then \
		echo "make: $<: no value for the @NAME@ above: add it to PATHS_units" >&2; rm -f $@.$$$$.tmp; exit 1; fi && \
	mv -f $@.$$$$.tmp $@

# The test suite runs against build/ and again against an ASan+UBSan build.
check: all fuzz-build
	$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all
	tests/run

include tests/fuzz/fuzz.mk

demo: all
	tests/demo.sh

bench: all
	bench/run

# --- install -------------------------------------------------------------
UDEVDIR        ?= $(shell pkg-config --variable=udevdir udev)
SYSTEMDUNITDIR ?= $(shell pkg-config --variable=systemdsystemunitdir systemd)
BASHCOMPLETIONSDIR ?= $(or $(shell pkg-config --variable=completionsdir bash-completion 2>/dev/null),/usr/share/bash-completion/completions)

install: $(PROGRAMS) $(GENERATED)
	@test -n "$(UDEVDIR)" || { echo "make install: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make install: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	install -D -m 0755 $(BUILD)/mdevkit $(DESTDIR)$(BINDIR)/mdevkit
	install -D -m 0755 $(BUILD)/mdevkit-xml $(DESTDIR)$(LIBEXECDIR)/mdevkit-xml
	install -D -m 0755 $(BUILD)/mdevkit-udev $(DESTDIR)$(UDEVDIR)/mdevkit-udev
	install -d -m 0755 $(DESTDIR)$(STOREDIR) \
		$(DESTDIR)$(STOREDIR)/scripts.d/callouts \
		$(DESTDIR)$(STOREDIR)/scripts.d/notifiers \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/notifiers
	for m in man/*.[1-8]; do [ -e "$$m" ] && [ "$${m##*/}" != mdevkit-simfs.1 ] || continue; \
		install -D -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; done
	install -D -m 0644 completion/mdevkit $(DESTDIR)$(BASHCOMPLETIONSDIR)/mdevkit
	install -D -m 0755 $(BUILD)/contrib/proxmox/mdevkit-hook $(DESTDIR)$(PKGDATADIR)/mdevkit-hook
	$(MAKE) --no-print-directory install-units
	install -D -m 0755 $(BUILD)/mdevkit-gvt $(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt
	ln -sfn $(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt \
		$(DESTDIR)$(STOREDIR)/scripts.d/callouts/mdevkit-gvt
	$(MAKE) --no-print-directory install-libvirt-hook
	if [ "$(INSTALL_LSMDEV)" = yes ] || { [ "$(INSTALL_LSMDEV)" = auto ] && \
		[ ! -e $(DESTDIR)$(BINDIR)/lsmdev ] && [ ! -L $(DESTDIR)$(BINDIR)/lsmdev ]; }; then \
		ln -sfn mdevkit $(DESTDIR)$(BINDIR)/lsmdev && \
		ln -sfn mdevkit $(DESTDIR)$(BASHCOMPLETIONSDIR)/lsmdev; fi

# The lsmdev name (`mdevkit list`) with its completion: auto installs it
# unless something (mdevctl) already has $(BINDIR)/lsmdev; Debian's
# package says no, its mdevctl ships /usr/bin/lsmdev.
INSTALL_LSMDEV ?= auto

# libvirt's hook (README, "libvirt"): the program in $(SBINDIR), where
# Debian's AppArmor profile for libvirtd lets it run, and a link in
# libvirt's hook directory.  libvirtd finds a new hook file at its next
# start only.
LIBVIRT_HOOKDIR ?= $(SYSCONFDIR)/libvirt/hooks/qemu.d
.PHONY: install-libvirt-hook
install-libvirt-hook:
	install -D -m 0755 $(BUILD)/mdevkit-libvirt-hook $(DESTDIR)$(SBINDIR)/mdevkit-libvirt-hook
	install -d -m 0755 $(DESTDIR)$(LIBVIRT_HOOKDIR)
	ln -sfn $(SBINDIR)/mdevkit-libvirt-hook $(DESTDIR)$(LIBVIRT_HOOKDIR)/mdevkit

# udev rules and systemd units (generated, nothing compiled).
# ENABLE_BOOT_UNIT=no leaves mdevkit-boot.service disabled, for packagers
# whose tooling enables units.
ENABLE_BOOT_UNIT ?= yes

.PHONY: install-units
install-units: $(GENERATED)
	@test -n "$(UDEVDIR)" || { echo "make install-units: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make install-units: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	install -D -m 0644 -t $(DESTDIR)$(UDEVDIR)/rules.d $(patsubst %.in,$(BUILD)/%,$(RULES_IN))
	install -D -m 0644 -t $(DESTDIR)$(SYSTEMDUNITDIR) $(patsubst %.in,$(BUILD)/%,$(UNIT_IN))
	if [ "$(ENABLE_BOOT_UNIT)" = yes ]; then \
		install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants && \
		ln -sfn $(SYSTEMDUNITDIR)/mdevkit-boot.service \
			$(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants/mdevkit-boot.service; fi

# Files only: the directories are shared with mdevctl, systemd, udev and man,
# and /etc/mdevctl.d holds the user's definitions.  The boot unit's and the
# opt-in GVT-g unit's wants links go whoever made them (make install or
# systemctl enable): they would dangle.  The /etc callout link goes only while it is a link.
uninstall:
	@test -n "$(UDEVDIR)" || { echo "make uninstall: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make uninstall: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	rm -f $(DESTDIR)$(BINDIR)/mdevkit $(DESTDIR)$(UDEVDIR)/mdevkit-udev \
		$(DESTDIR)$(LIBEXECDIR)/mdevkit-xml \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt \
		$(DESTDIR)$(BASHCOMPLETIONSDIR)/mdevkit \
		$(DESTDIR)$(PKGDATADIR)/mdevkit-hook \
		$(addprefix $(DESTDIR)$(UDEVDIR)/rules.d/,$(notdir $(RULES_IN:.in=))) \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNIT_IN:.in=))) \
		$(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants/mdevkit-boot.service \
		$(DESTDIR)$(SYSCONFDIR)/systemd/system/graphical.target.wants/mdevkit-gvt-early.service
	for m in man/*.[1-8]; do [ -e "$$m" ] && [ "$${m##*/}" != mdevkit-simfs.1 ] || continue; \
		rm -f "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; done
	l=$(DESTDIR)$(STOREDIR)/scripts.d/callouts/mdevkit-gvt; \
		if [ -L "$$l" ]; then rm -f "$$l"; fi
	rm -f $(DESTDIR)$(SBINDIR)/mdevkit-libvirt-hook $(DESTDIR)$(LIBVIRT_HOOKDIR)/mdevkit
	for l in $(DESTDIR)$(BINDIR)/lsmdev $(DESTDIR)$(BASHCOMPLETIONSDIR)/lsmdev; do \
		if [ "$$(readlink "$$l")" = mdevkit ]; then rm -f "$$l"; fi; done

# mdevkit in mdevctl's place, on request (README, "libvirt"): two links in
# $(SBINDIR), which comes before /usr/bin (Debian's mdevctl) in PATH.
# Links, so that AppArmor judges their target, $(BINDIR)/mdevkit.  Nothing
# of an installed mdevctl is touched; uninstall-mdevctl removes only links
# to mdevkit.
MDEVCTL_NAMES := mdevctl lsmdev
.PHONY: install-mdevctl uninstall-mdevctl
install-mdevctl:
	install -d -m 0755 $(DESTDIR)$(SBINDIR)
	for n in $(MDEVCTL_NAMES); do ln -sfn $(BINDIR)/mdevkit $(DESTDIR)$(SBINDIR)/$$n || exit 1; done

uninstall-mdevctl:
	for n in $(MDEVCTL_NAMES); do l=$(DESTDIR)$(SBINDIR)/$$n; \
		if [ "$$(readlink "$$l")" = $(BINDIR)/mdevkit ]; then rm -f "$$l"; fi; done

clean:
	rm -rf build
