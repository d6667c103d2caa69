# kube - one build for the binary, the tests, the sanitizer run and the fuzzers.
#
#   make              build/kube
#   make test         unit tests, then end-to-end tests with real kubectl and the Python client
#   make check        the same with AddressSanitizer + UBSan, plus a short fuzz run
#   make fuzz         build the libFuzzer targets (clang) into build/fuzz/
#   make bench        run the benchmarks in tests/bench/
#   make install      install the binary to $(PREFIX)/bin

CC       ?= gcc
PREFIX   ?= /usr/local
BUILD    ?= build
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DATE     := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LLHTTP   := /usr/share/llhttp
LLHTTP_H := /usr/share/include/llhttp

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Werror -Wno-missing-field-initializers
CPPFLAGS := -std=gnu11 -D_GNU_SOURCE -I. -I$(LLHTTP_H) -I/usr/include/libnl3
# lib/ is not on the include path (lib/yaml.h would shadow libyaml's <yaml.h>); code includes
# "lib/x.h". Unit tests may include lib headers by their short names.
$(BUILD)/obj/tests/%.o: CPPFLAGS += -Ilib
LIBS     := -luv -lmbedtls -lmbedx509 -lmbedcrypto -lsqlite3 -lcjson -lyaml -larchive -lz \
            -lnl-route-3 -lnl-3 -lnftnl -lmnl -lpthread -lm

SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS     := $(wildcard lib/*.c) $(wildcard sqlite/*.c) $(wildcard server/*.c) $(wildcard cri/*.c) \
            $(wildcard agent/*.c) $(wildcard netfilter/*.c)
OBJS     := $(SRCS:%.c=$(BUILD)/obj/%.o)
LLOBJS   := $(BUILD)/obj/llhttp/api.o $(BUILD)/obj/llhttp/http.o $(BUILD)/obj/llhttp/llhttp.o
UNIT     := $(wildcard tests/unit/test-*.c)
UNITOBJS := $(UNIT:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/unit/runner.o

.PHONY: FORCE all test unit e2e check fuzz fuzz-run bench install clean deps

all: $(BUILD)/kube

$(BUILD)/kube: $(BUILD)/obj/main.o $(OBJS) $(LLOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The build identity goes into lib/version.o alone, rebuilt every time.
$(BUILD)/obj/lib/version.o: CPPFLAGS += -DKUBE_VERSION='"$(VERSION)"' -DKUBE_COMMIT='"$(COMMIT)"' \
                                        -DKUBE_BUILD_DATE='"$(DATE)"'
$(BUILD)/obj/lib/version.o: FORCE
FORCE:

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# llhttp is Debian's copy of the upstream C sources, compiled as is (not our code: no -Werror).
$(BUILD)/obj/llhttp/%.o: $(LLHTTP)/%.c
	@mkdir -p $(dir $@)
	$(CC) -I$(LLHTTP_H) $(CFLAGS) -w -c -o $@ $<

$(BUILD)/unit-tests: $(UNITOBJS) $(OBJS) $(LLOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The test table is generated from the TEST_IMPL(name) lines of tests/unit/test-*.c, in file order.
$(BUILD)/test-list.h: $(UNIT)
	@mkdir -p $(dir $@)
	sed -n 's/^TEST_IMPL(\([a-z0-9_]*\)).*/TEST_ENTRY(\1)/p' $(UNIT) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/tests/unit/runner.o: $(BUILD)/test-list.h
$(BUILD)/obj/tests/unit/runner.o: CPPFLAGS += -I$(BUILD)

unit: $(BUILD)/unit-tests $(BUILD)/kube
	KUBE_BIN=$(abspath $(BUILD)/kube) $(BUILD)/unit-tests

e2e: $(BUILD)/kube
	KUBE_BIN=$(abspath $(BUILD)/kube) /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/e2e

# Unit tests first, then the end-to-end tests (never both at once under -j).
test: unit
	$(MAKE) --no-print-directory e2e

check:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" test
	$(MAKE) fuzz-run

# libFuzzer targets: each tests/fuzz/fuzz-*.c links with every module (clang only).
FUZZ     := $(wildcard tests/fuzz/fuzz-*.c)
FUZZSAN  := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
fuzz:
	$(MAKE) BUILD=build/fuzzobj CC=clang CFLAGS="-O1 -g $(FUZZSAN)" build/fuzzobj/objs.stamp
	@mkdir -p build/fuzz
	for f in $(FUZZ); do \
	  n=$$(basename $$f .c); \
	  clang $(CPPFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o build/fuzz/$$n $$f \
	    $(addprefix build/fuzzobj/obj/,$(SRCS:%.c=%.o)) build/fuzzobj/obj/llhttp/*.o $(LIBS) || exit 1; \
	done

$(BUILD)/objs.stamp: $(OBJS) $(LLOBJS)
	touch $@

FUZZTIME ?= 30
fuzz-run: fuzz
	for f in build/fuzz/fuzz-*; do \
	  n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	  $$f -max_total_time=$(FUZZTIME) -max_len=65536 -rss_limit_mb=2048 build/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

# The benchmark driver: tests/bench/kbench.c with the lib/ objects.
$(BUILD)/kbench: $(BUILD)/obj/tests/bench/kbench.o $(filter $(BUILD)/obj/lib/%,$(OBJS)) $(LLOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

bench: $(BUILD)/kube $(BUILD)/kbench
	KUBE_BIN=$(abspath $(BUILD)/kube) KBENCH_BIN=$(abspath $(BUILD)/kbench) tests/bench/run.sh

install: $(BUILD)/kube
	install -D -m 0755 $(BUILD)/kube $(DESTDIR)$(PREFIX)/bin/kube

deps:
	scripts/deps.sh

# Upstream's kubectl test-cmd suite (v1.20.2) against kube server: tests/compat/testcmd.sh fetches
# the suite and kubectl v1.20.0 once into a cache outside the tree. Not part of `make test`.
# `make compat WHAT="pod rc"` runs only those functions.
.PHONY: compat
compat: $(BUILD)/kube
	KUBE_BIN=$(abspath $(BUILD)/kube) tests/compat/testcmd.sh $(WHAT)

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(BUILD)/obj/main.d $(UNITOBJS:.o=.d) $(BUILD)/obj/tests/bench/kbench.d
