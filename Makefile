# kam -- key-account management workstation.
# make run | make test | make bench | make fuzz | make stress | make lint | make install

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
VERSION := 0.1.0

PKGS      := ncursesw lmdb yaml-0.1
TEST_PKGS := cmocka sqlite3
DEB_PKGS  := pkg-config libncurses-dev liblmdb-dev lmdb-utils libyaml-dev libcmocka-dev libsqlite3-dev tmux sqlite3 bc
DEP_CMDS  := pkg-config mdb_load tmux sqlite3 bc

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DKAM_VERSION='"$(VERSION)"' \
	-Iinclude -Wall -Wextra -Wshadow -Wno-unused-parameter -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

# Release build in build/rel, sanitizer test build in build/asan.
REL_CFLAGS  := $(CFLAGS_BASE) -O2 -g
ASAN_CFLAGS := $(CFLAGS_BASE) -O1 -g -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC  := $(shell find src -name '*.c' ! -path 'src/tui/*' ! -name main.c | sort)
TUI_SRC  := $(sort $(wildcard src/tui/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

rel_obj  = $(patsubst src/%.c,build/rel/%.o,$(1))
asan_obj = $(patsubst src/%.c,build/asan/%.o,$(1))

.PHONY: all run test bench fuzz stress lint install uninstall clean deps demo check-deps test-valgrind
all: kam

# --- dependencies -----------------------------------------------------------
deps:
	@missing=""; \
	for p in $(PKGS) $(TEST_PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	for c in $(DEP_CMDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		echo "kam: missing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS) >/dev/null || exit 1; \
		else \
			echo "run as root: apt-get update && apt-get install -y $(DEB_PKGS)"; exit 1; \
		fi; \
	fi

# --- release build ----------------------------------------------------------
build/rel/libkam.a: $(call rel_obj,$(LIB_SRC))
	@rm -f $@; ar rcs $@ $^

build/rel/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

kam: build/rel/libkam.a $(call rel_obj,$(TUI_SRC) src/main.c)
	$(CC) $(REL_CFLAGS) $(LDFLAGS) -o $@ $(call rel_obj,$(TUI_SRC) src/main.c) build/rel/libkam.a $(PKG_LIBS) -lm

# --- sanitizer build for tests ----------------------------------------------
build/asan/libkam.a: $(call asan_obj,$(LIB_SRC))
	@rm -f $@; ar rcs $@ $^

build/asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/kam: build/asan/libkam.a $(call asan_obj,$(TUI_SRC) src/main.c)
	$(CC) $(ASAN_CFLAGS) -o $@ $(call asan_obj,$(TUI_SRC) src/main.c) build/asan/libkam.a $(PKG_LIBS) -lm

build/asan/tests/%: tests/unit/%.c build/asan/libkam.a
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) $(PKG_CFLAGS) -Itests -o $@ $< build/asan/libkam.a $(PKG_LIBS) $(TEST_LIBS) -lm

TEST_BINS := $(patsubst tests/unit/%.c,build/asan/tests/%,$(TEST_SRC))

# Unit tests against the release library, for valgrind (which cannot run
# ASan binaries).
build/rel/tests/%: tests/unit/%.c build/rel/libkam.a
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) -Itests -o $@ $< build/rel/libkam.a $(PKG_LIBS) $(TEST_LIBS) -lm

REL_TEST_BINS := $(patsubst tests/unit/%.c,build/rel/tests/%,$(TEST_SRC))

# --- the two commands ---------------------------------------------------------
demo.kamdb/data.mdb: | kam
	./kam --db demo.kamdb gen --scale S

run: deps
	@$(MAKE) --no-print-directory kam
	@$(MAKE) --no-print-directory demo.kamdb/data.mdb
	./kam --db demo.kamdb

test: deps
	@$(MAKE) --no-print-directory build/asan/kam $(TEST_BINS)
	@tests/run.sh build/asan

# The whole suite under valgrind (memcheck, --leak-check=full, errors fail
# the test; tests/valgrind.supp lists what is not ours): unit tests, every kam
# of the golden CLI and screen tests. SCREEN_WAIT is raised for its slowness.
test-valgrind: deps
	@command -v valgrind >/dev/null || { echo "kam: make test-valgrind needs valgrind (apt-get install valgrind)"; exit 1; }
	@$(MAKE) --no-print-directory kam $(REL_TEST_BINS)
	@VALGRIND=1 tests/run.sh build/rel

bench: deps
	@$(MAKE) --no-print-directory kam
	@tests/bench/run.sh

fuzz: deps
	@tests/fuzz/run.sh

stress: deps
	@$(MAKE) --no-print-directory kam
	@tests/stress/run.sh

lint:
	@tests/lint.sh

# --- install ------------------------------------------------------------------
install: kam
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/doc/kam/examples
	install -m 0755 kam $(DESTDIR)$(PREFIX)/bin/kam
	install -m 0644 man/kam.1 $(DESTDIR)$(PREFIX)/share/man/man1/kam.1
	[ ! -f man/kam.yaml.5 ] || install -m 0644 man/kam.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/kam.yaml.5
	[ ! -f config/kam.yaml ] || install -m 0644 config/kam.yaml $(DESTDIR)$(PREFIX)/share/doc/kam/examples/kam.yaml

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kam $(DESTDIR)$(PREFIX)/share/man/man1/kam.1 \
		$(DESTDIR)$(PREFIX)/share/man/man5/kam.yaml.5
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/kam

clean:
	rm -rf build kam

-include $(shell find build -name '*.d' 2>/dev/null)
