# mdevkit - build, test and install.
#
#   make                 build everything into $(BUILD) (default build/)
#   make check           build, then run every test tier (also an ASan+UBSan build)
#   make demo            walk through mdevkit on a simulated GVT-g host
#   make bench           compare mdevkit with mdevctl, write bench/RESULTS.md
#   make fuzz            libFuzzer harnesses (clang) into build/fuzz/, FUZZ_SECONDS each
#   make install         honours DESTDIR and PREFIX
#   make uninstall       removes what make install put, with the same variables
#   make programs        only what gets installed (no simulator, no unit tests)
#   make clean

BUILD    ?= build
CC       ?= gcc
CFLAGS   ?= -O2 -g
SAN      ?=
PREFIX   ?= /usr
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
# mdevctl looks for callouts here whatever the prefix is
MDEVCTL_LIBDIR ?= /usr/lib/mdevctl
VERSION  := $(shell cat VERSION)

PKGS_CORE := json-c uuid
WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes
BASEFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -DMDEVKIT_VERSION='"$(VERSION)"' $(WARN)
ifneq ($(SAN),)
BASEFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN     := -fsanitize=address,undefined
endif
ALL_CFLAGS = $(BASEFLAGS) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(PKGS_CORE))
CORE_LIBS  = $(shell pkg-config --libs $(PKGS_CORE))

LIB_SRC     := $(sort $(wildcard src/lib/*.c))
CLI_SRC     := $(sort $(wildcard src/mdevkit/*.c))
UDEV_SRC    := $(sort $(wildcard src/udev/*.c))
CALLOUT_SRC := $(sort $(wildcard callouts/*.c))
SIMFS_SRC   := $(sort $(wildcard tests/simfs/*.c))
UNIT_SRC    := $(sort $(wildcard tests/unit/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIB := $(BUILD)/libmdevkit.a

# what gets installed, and the test tools (simulator, unit-test driver)
PROGRAMS      := $(BUILD)/mdevkit $(BUILD)/mdevkit-gvt $(BUILD)/mdevkit-udev
TEST_PROGRAMS := $(BUILD)/mdevkit-simfs $(BUILD)/mdevkit-unit

.PHONY: all programs check demo bench install install-units uninstall clean
all: $(PROGRAMS) $(TEST_PROGRAMS)
programs: $(PROGRAMS)

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

$(BUILD)/mdevkit-gvt: $(call obj,$(CALLOUT_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/mdevkit-udev: $(call obj,$(UDEV_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/obj/tests/simfs/%.o: EXTRA_CFLAGS = $(shell pkg-config --cflags fuse3)
# the simulator stands in for the kernel: it shares no code with mdevkit
$(BUILD)/mdevkit-simfs: $(call obj,$(SIMFS_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS) $(shell pkg-config --libs fuse3) -lpthread

$(BUILD)/mdevkit-unit: $(call obj,$(UNIT_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

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

install: $(PROGRAMS)
	@test -n "$(UDEVDIR)" || { echo "make install: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make install: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	install -D -m 0755 $(BUILD)/mdevkit $(DESTDIR)$(BINDIR)/mdevkit
	install -D -m 0755 $(BUILD)/mdevkit-udev $(DESTDIR)$(UDEVDIR)/mdevkit-udev
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/mdevctl.d \
		$(DESTDIR)$(SYSCONFDIR)/mdevctl.d/scripts.d/callouts \
		$(DESTDIR)$(SYSCONFDIR)/mdevctl.d/scripts.d/notifiers \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/notifiers
	for m in man/*.[1-8]; do [ -e "$$m" ] && [ "$${m##*/}" != mdevkit-simfs.1 ] || continue; \
		install -D -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; done
	install -D -m 0644 completion/mdevkit $(DESTDIR)$(BASHCOMPLETIONSDIR)/mdevkit
	$(MAKE) --no-print-directory install-units
	install -D -m 0755 $(BUILD)/mdevkit-gvt $(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt
	ln -sfn $(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt \
		$(DESTDIR)$(SYSCONFDIR)/mdevctl.d/scripts.d/callouts/mdevkit-gvt

# udev rules and systemd units (no build needed).  ENABLE_BOOT_UNIT=no leaves
# mdevkit-boot.service disabled, for packagers whose tooling enables units.
ENABLE_BOOT_UNIT ?= yes
UNIT_IN := $(sort $(wildcard systemd-units/*.in))

.PHONY: install-units
install-units:
	@test -n "$(UDEVDIR)" || { echo "make install-units: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make install-units: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	install -D -m 0644 -t $(DESTDIR)$(UDEVDIR)/rules.d udev-rules/*.rules
	install -d -m 0755 $(DESTDIR)$(SYSTEMDUNITDIR)
	for u in $(UNIT_IN); do n=$${u##*/}; \
		sed -e 's|@BINDIR@|$(BINDIR)|g' "$$u" > "$(DESTDIR)$(SYSTEMDUNITDIR)/$${n%.in}" && \
		chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/$${n%.in}" || exit 1; done
	if [ "$(ENABLE_BOOT_UNIT)" = yes ]; then \
		install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants && \
		ln -sfn $(SYSTEMDUNITDIR)/mdevkit-boot.service \
			$(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants/mdevkit-boot.service; fi

# Files only: the directories are shared with mdevctl, systemd, udev and man,
# and /etc/mdevctl.d holds the user's definitions.  The boot unit's wants
# link goes whoever made it (make install or systemctl enable): it would
# dangle.  The /etc callout link goes only while it is a link.
uninstall:
	@test -n "$(UDEVDIR)" || { echo "make uninstall: udev's directory is unknown: install udev's pkg-config file (Debian: package udev) or pass UDEVDIR=" >&2; exit 1; }
	@test -n "$(SYSTEMDUNITDIR)" || { echo "make uninstall: systemd's unit directory is unknown: install systemd's pkg-config file (Debian: package systemd) or pass SYSTEMDUNITDIR=" >&2; exit 1; }
	rm -f $(DESTDIR)$(BINDIR)/mdevkit $(DESTDIR)$(UDEVDIR)/mdevkit-udev \
		$(DESTDIR)$(MDEVCTL_LIBDIR)/scripts.d/callouts/mdevkit-gvt \
		$(DESTDIR)$(BASHCOMPLETIONSDIR)/mdevkit \
		$(addprefix $(DESTDIR)$(UDEVDIR)/rules.d/,$(notdir $(wildcard udev-rules/*.rules))) \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNIT_IN:.in=))) \
		$(DESTDIR)$(SYSCONFDIR)/systemd/system/multi-user.target.wants/mdevkit-boot.service
	for m in man/*.[1-8]; do [ -e "$$m" ] && [ "$${m##*/}" != mdevkit-simfs.1 ] || continue; \
		rm -f "$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}"; done
	l=$(DESTDIR)$(SYSCONFDIR)/mdevctl.d/scripts.d/callouts/mdevkit-gvt; \
		if [ -L "$$l" ]; then rm -f "$$l"; fi

clean:
	rm -rf build
