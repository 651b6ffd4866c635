# Cross builds, the BusyBox drop-in and the benchmark; included by the Makefile.
#
# Cross builds:
#   make ARCH=aarch64            build-aarch64/{libgodaemon.a,godaemon,t_*}
#   make test ARCH=armhf         the whole suite under qemu-arm
#   make ARCH=mipsel CROSS_COMPILE=mipsel-linux-musl-   another musl toolchain
#
# ARCH alone uses Debian's cross gcc (gcc-<triplet>) turned into a musl
# compiler by the specs file of musl-dev:<debian arch>, as musl-gcc does
# natively; tests/install.sh installs both. With CROSS_COMPILE given, that
# toolchain is taken as it is (it must link musl statically by itself).
# Tests run their binaries through RUN=qemu-<arch> (qemu-user, no binfmt_misc).

ifneq ($(ARCH),)

# ARCH: Debian's GNU triplet, musl's triplet, the qemu-user name.
CROSS_aarch64 = aarch64-linux-gnu aarch64-linux-musl aarch64
CROSS_armhf = arm-linux-gnueabihf arm-linux-musleabihf arm
CROSS_mipsel = mipsel-linux-gnu mipsel-linux-musl mipsel
CROSS_arm64 = $(CROSS_aarch64)
CROSS_arm = $(CROSS_armhf)
CROSS_x86_64 = x86_64-linux-gnu x86_64-linux-musl x86_64
CROSS_TRIPLES = $(CROSS_$(ARCH))

QEMU_ARCH = $(if $(CROSS_TRIPLES),$(word 3,$(CROSS_TRIPLES)),$(ARCH))
HOST_ARCH := $(shell uname -m)

ifeq ($(QEMU_ARCH),$(HOST_ARCH))
# The machine's own architecture: the native musl-gcc, nothing to emulate.
else
ifeq ($(CROSS_COMPILE),)
ifeq ($(CROSS_TRIPLES),)
$(error ARCH=$(ARCH): unknown; known are aarch64 armhf mipsel, or give CROSS_COMPILE=)
endif
CROSS_COMPILE = $(word 1,$(CROSS_TRIPLES))-
MUSL_SPECS = /usr/lib/$(word 2,$(CROSS_TRIPLES))/musl-gcc.specs
ifeq ($(filter-out default file,$(origin CC)),)
CC = $(CROSS_COMPILE)gcc -specs $(MUSL_SPECS)
endif
ifeq ($(wildcard $(MUSL_SPECS)),)
$(error $(MUSL_SPECS) missing: run tests/install.sh cross (Debian gcc-$(word 1,$(CROSS_TRIPLES)) and musl-dev for $(ARCH)))
endif
endif
# An absolute path: tests run $GD under a PATH of their own.
RUN ?= $(or $(shell command -v qemu-$(QEMU_ARCH) 2>/dev/null),qemu-$(QEMU_ARCH))
export RUN
endif

endif

# A static aarch64 binary is padded to the linker's 64 KiB default page
# size otherwise (28 KB more here); 4 KiB pages are what routers run. Known
# from ARCH or from the toolchain's name.
ifneq ($(filter aarch64,$(QEMU_ARCH))$(filter aarch64%,$(notdir $(CROSS_COMPILE))),)
LDFLAGS += -Wl,-z,max-page-size=4096
endif

# MIPS16=1: the applet in the MIPS16e encoding, a fifth smaller, as OpenWrt's
# CONFIG_USE_MIPS16 builds its packages. Only for cores with that ASE (the
# 24K, 34K, 74K and 1004K families have it; some Broadcom BMIPS cores do
# not). The library keeps the standard encoding; -minterlink-mips16 lets the
# two call each other.
ifneq ($(MIPS16),)
APPLET_CFLAGS += -mips16 -minterlink-mips16
endif

# For tests/size.sh (make size): the tools of this build.
export GD_SIZE = $(CROSS_COMPILE)size
export GD_OBJDUMP = $(CROSS_COMPILE)objdump
export GD_CC = $(CC)

# Every architecture in turn, each with its own time, for CI and the README;
# into build-ARCH, or BUILD-ARCH when BUILD is given.
CROSS_ARCHES ?= aarch64 armhf mipsel
CROSS_BUILD = $(if $(filter command line,$(origin BUILD)),$(BUILD),build)
cross-test:
	@for a in $(CROSS_ARCHES); do \
		s=$$(date +%s); \
		$(MAKE) --no-print-directory ARCH=$$a BUILD=$(CROSS_BUILD)-$$a test || exit 1; \
		echo "== ARCH=$$a: $$(( $$(date +%s) - s )) s"; \
	done

cross:
	@for a in $(CROSS_ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a BUILD=$(CROSS_BUILD)-$$a all || exit 1; \
	done

.PHONY: cross cross-test

# The BusyBox drop-in (tests/busybox.sh): Debian's BusyBox source (or
# BUSYBOX_SRC=DIR) with the applet added, built minimal and static into
# $(BUILD)/busybox/busybox. busybox-test runs the whole suite against
# `busybox godaemon`; busybox-size prints what the applet costs in BusyBox.
busybox:
	@tests/busybox.sh $(BUILD) build

busybox-test: $(TEST_PROGS) $(BUILD)/t_fuzzargs config/Config.in
	@tests/busybox.sh $(BUILD) test

busybox-size:
	@tests/busybox.sh $(BUILD) sizes

# The benchmark against Debian's start-stop-daemon, daemonize and daemon:
# prints numbers, never fails on one. N starts and stops per program.
N ?= 40
# With the machine's cc: musl's static wait4() gave ru_maxrss 0 here.
HOSTCC ?= cc
$(BUILD)/gd_bench: tests/gd_bench.c | $(BUILD)/.dir
	$(HOSTCC) -std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -o $@ $<

# The floor: fork, setsid, fork, exec with a report pipe, nothing more; a
# static musl program with the applet's size flags, so that it starts as fast
# as a program of its kind can.
$(BUILD)/floor: tests/floor.c | $(BUILD)/.dir
	$(CC) -std=c99 -D_GNU_SOURCE $(CFLAGS_SIZE) $(WARN) $(LDFLAGS_SIZE) -o $@ $<

bench: all $(BUILD)/gd_bench $(BUILD)/floor
	@N=$(N) tests/bench.sh $(BUILD)
	@echo
	@tests/ssd_compare.sh $(BUILD)

# The init scripts' steps with godaemon's, BusyBox's and dpkg's
# start-stop-daemon, in namespaces: a table of which step each gets right.
# Printed, never a gate; fails only when the comparison cannot run.
bench-ssd: all
	@tests/ssd_compare.sh $(BUILD)

.PHONY: busybox busybox-test busybox-size bench bench-ssd
