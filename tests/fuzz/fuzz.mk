# libFuzzer harnesses (included by the top Makefile).  One harness per
# tests/fuzz/<target>.c, linked with the library and the callout built
# again by clang into build/fuzz/ (the gcc builds are not touched).
#
#   make fuzz-build                  build/fuzz/<target> for every target
#   make fuzz [FUZZ_SECONDS=60]      build, then run each target in turn over
#                                    a copy of tests/fuzz/corpus/<target>/
#   make fuzz FUZZ_TARGETS=config    only some targets

FUZZ_CC      ?= clang-14
FUZZ_BUILD   := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g $(FUZZ_SAN) $(BASEFLAGS) -Icallouts $(shell pkg-config --cflags $(PKGS_CORE))
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
# the callout's argument and stdin handling, without its main()
# (the libvirt XML renderer is no parser: it stays out, with libxml2)
FUZZ_LIB_SRC := $(filter-out src/lib/vmconfig-xml.c,$(LIB_SRC)) callouts/gvt-callout.c
FUZZ_LIB     := $(FUZZ_BUILD)/libmdevkit-fuzz.a

fuzz_obj = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1))

# library code gets coverage instrumentation; only harnesses get main()
$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CLANG   $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(call fuzz_obj,$(FUZZ_LIB_SRC))
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(FUZZ_BUILD)/%: $(FUZZ_BUILD)/obj/tests/fuzz/%.o $(FUZZ_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(CORE_LIBS)

# the libvirt hook's XML reader: the only harness with libxml2
FUZZ_HOOK_OBJ := $(call fuzz_obj,src/libvirt-hook/domain-xml.c)
$(FUZZ_HOOK_OBJ) $(FUZZ_BUILD)/obj/tests/fuzz/libvirt-domain.o: FUZZ_CFLAGS += $(XML_CFLAGS)
$(FUZZ_BUILD)/libvirt-domain: $(FUZZ_BUILD)/obj/tests/fuzz/libvirt-domain.o $(FUZZ_HOOK_OBJ) $(FUZZ_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(CORE_LIBS) $(XML_LIBS)

# keep the harness objects (make would delete them as intermediate)
.SECONDARY: $(call fuzz_obj,$(FUZZ_SRC))

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

.PHONY: fuzz fuzz-build
fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC)))

fuzz: fuzz-build
	tests/fuzz/run -t $(FUZZ_SECONDS) $(FUZZ_TARGETS)
