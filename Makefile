# godaemon standalone build. `make` builds build/libgodaemon.a and the static
# applet build/godaemon from the configuration in .config (config/defconfig
# when there is none), without any Kconfig tool.

CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC = $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc,musl-gcc)
endif
AR = $(CROSS_COMPILE)ar
STRIP = $(CROSS_COMPILE)strip

CONFIG ?= $(if $(wildcard .config),.config,config/defconfig)
BUILD ?= build$(if $(ARCH),-$(ARCH))$(if $(MIPS16),-mips16)$(if $(SANITIZE),-san)$(if $(VALGRIND),-vg)

# -Oz where the compiler has it (gcc >= 12, clang): 0.4-0.6 KB less than -Os
# here. Asked once, when first needed (CC may be set by a later include).
OPT_SIZE = $(eval OPT_SIZE := $$(shell $$(CC) -Oz -x c -c -o /dev/null /dev/null \
	>/dev/null 2>&1 && echo -Oz || echo -Os))$(OPT_SIZE)
# gcc's jump threading copies a block for each constant that reaches a test
# in it: every exit path of gd_stop_path() got its own cleanup (0.25 KB on
# x86_64, aarch64 and mipsel alike). Its dominator pass and the hoisting of
# loop invariants into registers that must then be saved cost another 0.1 KB
# on x86_64 and mipsel (0.06 KB on aarch64). Merging equal tails of blocks
# and keeping values in call-clobbered registers across calls cost 16-96
# bytes more by architecture and configuration. clang has none of these.
GCC_SIZE = -fno-thread-jumps -fno-tree-dominator-opts -fno-move-loop-invariants \
	-fno-tree-tail-merge -fno-caller-saves
GCC_FLAGS = $(eval GCC_FLAGS := $$(shell $$(CC) $$(GCC_SIZE) -x c -c -o /dev/null /dev/null \
	>/dev/null 2>&1 && echo $$(GCC_SIZE)))$(GCC_FLAGS)
CFLAGS_SIZE = $(OPT_SIZE) $(GCC_FLAGS) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables
WARN = -Wall -Wextra -Wno-unused-parameter -Werror=vla
CFLAGS ?= $(CFLAGS_SIZE) $(WARN)
CPPFLAGS_GD = -std=c99 -D_GNU_SOURCE -include $(BUILD)/autoconf.h -Iapplet
# -z common-page-size=16: where the data would start on the same memory page
# as the code ends, ld pads the file up to the next page (0-4095 bytes, 288
# in the smallest build) to save that page of memory. A page of address
# space matters less here than kilobytes of flash.
LDFLAGS_SIZE = -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none \
	-Wl,-z,common-page-size=16
LDFLAGS ?= $(LDFLAGS_SIZE)

# Kbuild is the one list of objects; the configuration decides which count.
include $(CONFIG)
include Kbuild
LIB_OBJ = $(addprefix $(BUILD)/,$(filter-out godaemon%.o,$(lib-y)))
# The applet is linked from objects of its own, the library's included,
# compiled as one program: no PIE code, and optimised across files at link
# time (-flto), 1.1 KB less than godaemon.o linked with libgodaemon.a. The
# library stays PIE-safe for the programs that link it. The sanitizer and
# valgrind builds set APPLET_CFLAGS empty.
APPLET_CFLAGS ?= -fno-pie -flto
# What BusyBox never builds is in applet/standalone/: main(), the small
# versions of the libbb helpers the applet calls (libbb.c), and with a
# musl compiler on an architecture of its arch/ (OWN_START) the applet's
# own start-up, system calls and mem functions.
APPLET_OBJ = $(addprefix $(BUILD)/applet/,$(lib-y)) \
	$(addprefix $(BUILD)/applet/standalone/,main.o libbb.o $(if $(APPLET_CRT),$(if $(OWN_START),start.o syscall.o mem.o)))
# With a musl compiler the applet links musl's crt1.o alone: gcc's
# crtbegin/crtend only register transactional-memory clones and EH frames,
# which a static C program never uses (0.6 KB), and crti/crtn frame the
# _init/_fini that nothing has. Where applet/standalone/ has an entry
# point (OWN_START), it replaces crt1.o and musl's __libc_start_main(): the
# TLS, auxiliary vector and canary set-up that a single-threaded program
# without the stack protector has no use for (1.6-1.9 KB), and with
# GD_APPLET_CRT, musl's system call wrappers (0.25-1.9 KB by
# architecture). -l: finds crt1.o first in musl's directory. APPLET_CRT=
# keeps the compiler's start files and libc's start-up and calls. The
# compilers' names and versions in .comment go too (0.1 KB).
APPLET_CRT = $(if $(findstring musl,$(CC)),-nostartfiles $(if $(OWN_START),,-l:crt1.o))
# Whether gd_sys.h sets GD_START_ARCH for CC's target: then OWN_START is
# GD_ARCH_NAME, the directory of applet/standalone/arch/ with its entry
# point and system call, and crt1.o stays out.
OWN_START = $(eval OWN_START := $$(shell printf '\043include "gd_sys.h"\nGD_START_ARCH GD_ARCH_NAME\n' | \
	$$(CC) -std=c99 -D_GNU_SOURCE -Iapplet -E -P -x c - 2>/dev/null | sed -n 's/^1 //p'))$(OWN_START)
APPLET_START_CFLAGS = $(if $(APPLET_CRT),-fno-stack-protector -DGD_APPLET_CRT)

all: $(BUILD)/libgodaemon.a $(BUILD)/godaemon config/Config.in

$(BUILD)/.dir:
	mkdir -p $(BUILD) && touch $@

# The config header, with BusyBox's names: ENABLE_X is always 0 or 1, IF_X(...)
# keeps its arguments when X is on, IF_NOT_X(...) when it is off.
$(BUILD)/autoconf.h: $(CONFIG) | $(BUILD)/.dir
	sed -n \
	 -e 's/^CONFIG_\([A-Z0-9_]*\)=y$$/#define CONFIG_\1 1\n#define ENABLE_\1 1\n#define IF_\1(...) __VA_ARGS__\n#define IF_NOT_\1(...)/p' \
	 -e 's/^CONFIG_\([A-Z0-9_]*\)=\(.*\)$$/#define CONFIG_\1 \2\n#define ENABLE_\1 1\n#define IF_\1(...) __VA_ARGS__\n#define IF_NOT_\1(...)/p' \
	 -e 's/^# CONFIG_\([A-Z0-9_]*\) is not set$$/#define ENABLE_\1 0\n#define IF_\1(...)\n#define IF_NOT_\1(...) __VA_ARGS__/p' \
	 $< > $@.tmp && mv $@.tmp $@

# config/Config.in, which menuconfig and make size read: the //config: lines
# of applet/godaemon.c, then of every other source that has some, in name
# order (applet/standalone/main.c last: options BusyBox has of its own), with
# the one sed of BusyBox's scripts/gen_build_files.sh, which makes each
# directory's Config.in so inside BusyBox. Never edited by hand.
CONFIG_IN_SRC = applet/godaemon.c $(sort $(filter-out applet/godaemon.c,\
	$(shell grep -l '^//config:' applet/*.c applet/standalone/*.c)))
config/Config.in: $(CONFIG_IN_SRC) Makefile
	{ echo '#'; \
	  echo '# godaemon: run a program as a Unix daemon.'; \
	  echo '# Sizes are bytes of the static x86_64 musl applet (of libgodaemon.a for'; \
	  echo '# REEXEC), measured by `make size`, which says when one is out of date.'; \
	  echo '# Made by make from the //config: lines of $(CONFIG_IN_SRC): edit those.'; \
	  echo '#'; \
	  sed -n 's@^//config:@@p' $(CONFIG_IN_SRC); } >$@.tmp.$$$$ && mv $@.tmp.$$$$ $@

# Objects depend on this Makefile and on BUILD/flags (below) too: a change of
# flags, in the Makefile or on the command line, rebuilds them.
GD_HEADERS = applet/godaemon.h applet/gd_internal.h applet/gd_sys.h applet/godaemon_applet.h applet/godaemon_attrs.h \
	applet/godaemon_libbb.h
$(BUILD)/%.o: applet/%.c $(GD_HEADERS) $(BUILD)/autoconf.h Makefile $(BUILD)/flags
	$(CC) $(CPPFLAGS_GD) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The applet's //usage: lines as BusyBox's include/usage.h holds them (the
# sed of BusyBox scripts/gen_build_files.sh), so godaemon.c can #include
# "usage.h" in both trees.
$(BUILD)/usage.h: applet/godaemon.c applet/godaemon_ssd.c | $(BUILD)/.dir
	sed -n -e 's@^//usage:\([ 	].*\)$$@\1 \\@p' -e 's@^//usage:\([^ 	].*\)$$@\n\1 \\@p' $^ > $@.tmp && echo >> $@.tmp && mv $@.tmp $@
$(BUILD)/applet/%.o: applet/%.c $(GD_HEADERS) $(BUILD)/autoconf.h $(BUILD)/usage.h Makefile $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_GD) -I$(BUILD) $(CPPFLAGS) $(CFLAGS) $(APPLET_CFLAGS) $(APPLET_START_CFLAGS) -c -o $@ $<
# The standalone folder: its architecture's files found as musl finds its
# arch/NAME/*.h, by the include path.
$(BUILD)/applet/standalone/%.o: applet/standalone/%.c $(GD_HEADERS) \
		$(wildcard applet/standalone/arch/*.h applet/standalone/arch/*/*.h) $(BUILD)/autoconf.h $(BUILD)/usage.h \
		Makefile $(BUILD)/flags
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_GD) -I$(BUILD) $(if $(OWN_START),-Iapplet/standalone/arch/$(OWN_START)) $(CPPFLAGS) $(CFLAGS) \
		$(APPLET_CFLAGS) $(APPLET_START_CFLAGS) -c -o $@ $<

$(BUILD)/libgodaemon.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

# Expanded when needed, not here: a later include may set CC (the sanitizer
# and valgrind builds), and with it whether the start-up objects belong.
.SECONDEXPANSION:
$(BUILD)/godaemon: $$(APPLET_OBJ)
	$(CC) $(CFLAGS) $(APPLET_CFLAGS) $(APPLET_START_CFLAGS) $(LDFLAGS) -o $@ $(APPLET_CRT) $(APPLET_OBJ)
	$(STRIP) -R .comment $@

# Test programs: tests/t_NAME.c linked with the library, built like the applet.
TEST_PROGS = $(patsubst tests/t_%.c,$(BUILD)/t_%,$(wildcard tests/t_*.c))
TEST_CFLAGS = -Os -Wall -Wextra -Wno-unused-parameter
$(BUILD)/t_%: tests/t_%.c tests/t.h $(BUILD)/libgodaemon.a
	$(CC) -std=c99 -D_GNU_SOURCE -Iapplet $(TEST_CFLAGS) -static -o $@ $< $(BUILD)/libgodaemon.a
# t_fuzzreplay includes the harnesses whose properties it replays.
$(BUILD)/t_fuzzreplay: tests/fuzz/pidparse.c tests/fuzz/pidinspect.c
# The applet's attrs module, tested on its own (built whatever the config says).
$(BUILD)/t_attrs: tests/t_attrs.c tests/t.h $(BUILD)/godaemon_attrs.o $(BUILD)/libgodaemon.a
	$(CC) -std=c99 -D_GNU_SOURCE -Iapplet $(TEST_CFLAGS) -o $@ $< $(BUILD)/godaemon_attrs.o $(BUILD)/libgodaemon.a $(TEST_LDFLAGS_HARD)

size: all
	@tests/size.sh $(BUILD)

# The most stack each library call can use (x86_64 musl builds).
stack: $(BUILD)/libgodaemon.a
	@tests/stack.sh $(BUILD)

test: all $(TEST_PROGS)
	@tests/run.sh $(BUILD)

defconfig:
	cp config/defconfig .config

menuconfig: config/Config.in
	kconfig-mconf config/Config.in

clean:
	rm -rf build build-*

# The applet in $(DESTDIR)$(SBINDIR), and with FEATURE_GODAEMON_SSD its
# start-stop-daemon link (a firmware's BusyBox link of that name is replaced).
SBINDIR ?= /sbin
install: all
	install -D -m 0755 $(BUILD)/godaemon $(DESTDIR)$(SBINDIR)/godaemon
	$(if $(filter y,$(CONFIG_FEATURE_GODAEMON_SSD)),ln -sf godaemon $(DESTDIR)$(SBINDIR)/start-stop-daemon)

.PHONY: all size stack test defconfig menuconfig clean install

# Further targets (cross builds, BusyBox, bench, fuzz, lint) live in tests/*.mk.
include $(wildcard tests/*.mk)

# The main job, shown: a C program daemonizing itself, then the applet
# running a shell script as a daemon, queried and stopped.
$(BUILD)/example: tests/example.c $(BUILD)/libgodaemon.a
	$(CC) -std=c99 -D_GNU_SOURCE -Iapplet $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libgodaemon.a

demo: all $(BUILD)/example
	@tests/demo.sh $(BUILD)

.PHONY: demo

# The compiler and flags BUILD's objects were made with, in BUILD/flags,
# rewritten only when they change (CC=, CFLAGS=, APPLET_CRT=...), as
# kbuild's .cmd files do: objects of one musl build must not be linked in
# another way. Last, once the included files have set CC and the flags.
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(CFLAGS) $(APPLET_CFLAGS) $(APPLET_START_CFLAGS) $(APPLET_CRT) $(LDFLAGS)
ifneq ($(file <$(BUILD)/flags),$(strip $(BUILD_FLAGS)))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(strip $(BUILD_FLAGS)))
endif
$(BUILD)/flags: ;
