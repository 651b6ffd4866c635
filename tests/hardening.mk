# Hardening targets, included by the Makefile.
#
#   make test SANITIZE=address,undefined   library, applet and test programs
#                      built with clang -fsanitize=..., glibc, dynamic, into
#                      build-san/; any sanitizer report fails the test it
#                      happened in (tests/lib.sh reads $SAN_LOG)
#   make test VALGRIND=1   gcc -O1 -g glibc build into build-vg/, every test
#                      program run under valgrind memcheck (tests/valgrind.sh)
#   make valgrind      the same for the suites that run test programs
#   make fuzz [FUZZ_SECONDS=60]   each libFuzzer harness of tests/fuzz/ for
#                      FUZZ_SECONDS, new inputs kept in $(BUILD)/fuzz/corpus/
#   make fuzz-merge    fold the new inputs worth keeping into tests/fuzz/corpus/
#   make lint          cppcheck, clang-tidy (.clang-tidy) and a -Werror build
#
# The sanitizer and valgrind builds are glibc builds on purpose: the
# sanitizer runtimes and valgrind's malloc replacement need a dynamic libc.
# What they check (memory errors, undefined behaviour, uninitialised reads)
# does not depend on musl; the musl build keeps its own suite.

# Sanitizer runtimes log to files, not stderr: a daemon's stderr is /dev/null.
SAN_LOG = $(abspath $(BUILD))/san-log

ifneq ($(SANITIZE),)
ifeq ($(BUILD),build)
$(error SANITIZE builds go to their own BUILD directory, e.g. BUILD=build-san)
endif
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
CC = clang
CFLAGS = -O1 -g $(SAN_FLAGS) $(WARN)
APPLET_CFLAGS =
LDFLAGS = $(SAN_FLAGS)
TEST_CFLAGS = -O1 -g $(SAN_FLAGS) -Wall -Wextra -Wno-unused-parameter
TEST_LDFLAGS_HARD = $(SAN_FLAGS)
# halt/abort_on_error: a report kills the process, and is logged under
# SAN_LOG where tests/lib.sh finds it whichever process it came from.
# detect_leaks=0: the library has no heap at all (a test checks nm for
# malloc), so LeakSanitizer has nothing of ours to find; its exit-time scan
# needs to ptrace the process, which fails under the strace that the
# signal-injection tests run the applet with, and it never runs in the
# forked stages, which leave with _exit() or die by signal.
export ASAN_OPTIONS = abort_on_error=1:halt_on_error=1:detect_leaks=0:log_path=$(SAN_LOG)/asan:allocator_may_return_null=1
export UBSAN_OPTIONS = abort_on_error=1:halt_on_error=1:print_stacktrace=1:log_path=$(SAN_LOG)/ubsan
export SAN_LOG
# The same options built in (tests/san_options.c), for programs without /proc.
SAN_OPTIONS_OBJ = $(BUILD)/san_options.o
LDFLAGS += $(SAN_OPTIONS_OBJ)
TEST_LDFLAGS_HARD += $(SAN_OPTIONS_OBJ)
$(SAN_OPTIONS_OBJ): tests/san_options.c tests/hardening.mk | $(BUILD)/.dir
	$(CC) -DSAN_ASAN_OPTIONS='"$(ASAN_OPTIONS)"' -DSAN_UBSAN_OPTIONS='"$(UBSAN_OPTIONS)"' \
		-O1 -c -o $@ $<
$(BUILD)/godaemon $(TEST_PROGS) $(BUILD)/t_fuzzargs: $(SAN_OPTIONS_OBJ)
endif

ifneq ($(VALGRIND),)
ifeq ($(BUILD),build)
$(error VALGRIND builds go to their own BUILD directory, e.g. BUILD=build-vg)
endif
CC = gcc
CFLAGS = -O1 -g $(WARN)
APPLET_CFLAGS =
LDFLAGS =
TEST_CFLAGS = -O1 -g -Wall -Wextra -Wno-unused-parameter
TEST_LDFLAGS_HARD =
# Memcheck on the test programs; its reports land in SAN_LOG like the
# sanitizers', where tests/lib.sh fails the test that caused them.
export RUN = $(abspath tests/valgrind.sh)
export SAN_LOG
endif

ifneq ($(SANITIZE)$(VALGRIND),)
# Test programs linked dynamically: the sanitizer runtimes need it. Same
# target and prerequisites as the Makefile's rule, so this one replaces it.
$(BUILD)/t_%: tests/t_%.c tests/t.h $(BUILD)/libgodaemon.a
	$(CC) -std=c99 -D_GNU_SOURCE -Iapplet $(TEST_CFLAGS) -o $@ $< $(BUILD)/libgodaemon.a $(TEST_LDFLAGS_HARD)

# A fresh log directory for each run; writable by the unprivileged users
# that some tests run as.
san-log-reset:
	rm -rf $(SAN_LOG) && mkdir -p $(SAN_LOG) && chmod 1777 $(SAN_LOG)
test: san-log-reset
.PHONY: san-log-reset
endif

# `make valgrind`: the suites whose test programs exercise the library, with
# each test program under memcheck (the applet's own suites run it natively
# in that build, so they add nothing there).
VG_TESTS = stage pidfile reexec attack_lib attack_lock fault_full fuzz applet_start applet_ready
valgrind:
	$(MAKE) test VALGRIND=1 ONLY="$(VG_TESTS)"
.PHONY: valgrind

# ---- fuzzing ---------------------------------------------------------------
# Each tests/fuzz/NAME.c is a libFuzzer harness, built with the library's
# sources (and the applet's, for args) with clang's fuzzer, ASan and UBSan.

FUZZ_SECONDS ?= 10
FUZZ_BUILD = $(BUILD)/fuzz
FUZZERS = $(filter-out replay,$(basename $(notdir $(wildcard tests/fuzz/*.c))))
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_LIB_SRC = $(patsubst $(BUILD)/%.o,applet/%.c,$(LIB_OBJ))
# Inputs longer than this are refused by the code under test at once.
FUZZ_OPTS_pidparse = -max_len=64 -dict=$(abspath tests/fuzz/pid.dict)
FUZZ_OPTS_pidinspect = -max_len=96 -dict=$(abspath tests/fuzz/pid.dict)
FUZZ_OPTS_args = -max_len=256 -dict=$(abspath tests/fuzz/args.dict) -timeout=20

$(FUZZ_BUILD)/.dir:
	mkdir -p $(FUZZ_BUILD)/crashes && touch $@

# The applet's command line (tests/fuzz/args.c): godaemon.c and the library
# built with exit, fork, open, unlink, execve, kill, syscall and writes replaced by the
# harness's guards, and -f built out, so that no input can act on the system.
FUZZ_WRAP = -Dexit=fuzz_exit -D_exit=fuzz_exit -Dfork=fuzz_fork -D_Fork=fuzz_fork \
	-Dopen=fuzz_open -Dunlink=fuzz_unlink -Dexecve=fuzz_execve -Dkill=fuzz_kill \
	-Dsyscall=fuzz_syscall -Dwrite=fuzz_write -Dwritev=fuzz_writev
FUZZ_ARGS_SRC = $(patsubst %.o,applet/%.c,$(filter godaemon%.o,$(lib-y))) applet/standalone/libbb.c $(FUZZ_LIB_SRC)
$(BUILD)/fuzzargs.h: $(BUILD)/autoconf.h
	sed -e 's/^\(#define ENABLE_FEATURE_GODAEMON_FOREGROUND\) 1$$/\1 0/' \
	    -e 's/^\(#define IF_FEATURE_GODAEMON_FOREGROUND(...)\) __VA_ARGS__$$/\1/' \
	    -e 's/^\(#define IF_NOT_FEATURE_GODAEMON_FOREGROUND(...)\)$$/\1 __VA_ARGS__/' \
	    -e '/^#define CONFIG_FEATURE_GODAEMON_FOREGROUND /d' $< >$@
$(FUZZ_BUILD)/fuzz_args: tests/fuzz/args.c tests/hardening.mk $(FUZZ_ARGS_SRC) applet/godaemon.h \
		applet/gd_internal.h $(BUILD)/fuzzargs.h $(BUILD)/usage.h | $(FUZZ_BUILD)/.dir
	clang -std=c99 -D_GNU_SOURCE -include $(BUILD)/fuzzargs.h -Iapplet -I$(BUILD) \
		$(FUZZ_FLAGS) $(FUZZ_WRAP) -o $@ $< $(FUZZ_ARGS_SRC)
# The same harness as a test program, for tests/fuzz.test to replay the corpus.
TEST_LDFLAGS_HARD ?= -static
$(BUILD)/t_fuzzargs: tests/fuzz/args.c tests/fuzz/replay.c tests/hardening.mk $(FUZZ_ARGS_SRC) \
		applet/godaemon.h applet/gd_internal.h $(BUILD)/fuzzargs.h $(BUILD)/usage.h
	$(CC) -std=c99 -D_GNU_SOURCE -include $(BUILD)/fuzzargs.h -Iapplet -I$(BUILD) \
		$(TEST_CFLAGS) $(FUZZ_WRAP) -o $@ tests/fuzz/args.c tests/fuzz/replay.c \
		$(FUZZ_ARGS_SRC) $(TEST_LDFLAGS_HARD)
test: $(BUILD)/t_fuzzargs

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/%.c $(FUZZ_LIB_SRC) applet/godaemon.c applet/godaemon.h \
		applet/gd_internal.h $(BUILD)/autoconf.h | $(FUZZ_BUILD)/.dir
	clang -std=c99 -D_GNU_SOURCE -include $(BUILD)/autoconf.h -Iapplet $(FUZZ_FLAGS) \
		-o $@ $< $(FUZZ_LIB_SRC)

# A harness that finds a crash stops, keeps the input in $(FUZZ_BUILD)/crashes/
# and fails the target: copy it to tests/fuzz/crashes/NAME/ once fixed, where
# tests/fuzz.test replays it in every test run.
define fuzz_run
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1)
	@ASAN_OPTIONS=detect_leaks=0 $(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_OPTS_$(1)) \
		-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(abspath $(FUZZ_BUILD))/crashes/$(1)- \
		$(abspath $(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1)) >$(FUZZ_BUILD)/$(1).log 2>&1 \
	|| { tail -n 60 $(FUZZ_BUILD)/$(1).log; \
	     echo "fuzz $(1): FAILED, input in $(FUZZ_BUILD)/crashes/"; exit 1; }
	@echo "fuzz $(1): $$(sed -n 's/^stat::number_of_executed_units: *//p' \
		$(FUZZ_BUILD)/$(1).log) executions in $(FUZZ_SECONDS) s," \
		"corpus $$(sed -n 's/.*DONE .*corp: \([0-9]*\)\/.*/\1/p' $(FUZZ_BUILD)/$(1).log) inputs"

endef
define fuzz_merge
	@mkdir -p $(FUZZ_BUILD)/corpus/$(1) tests/fuzz/corpus/$(1)
	@ASAN_OPTIONS=detect_leaks=0 $(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_OPTS_$(1)) -merge=1 \
		$(abspath tests/fuzz/corpus/$(1) $(FUZZ_BUILD)/corpus/$(1)) >$(FUZZ_BUILD)/$(1).merge.log 2>&1 \
	|| { tail -n 20 $(FUZZ_BUILD)/$(1).merge.log; exit 1; }
	@echo "fuzz-merge $(1): $$(ls tests/fuzz/corpus/$(1) | wc -l) inputs"

endef

fuzz: $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZERS))
	$(foreach f,$(FUZZERS),$(call fuzz_run,$(f)))

# Minimise what the runs found into the committed corpus (kept small).
fuzz-merge: $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZERS))
	$(foreach f,$(FUZZERS),$(call fuzz_merge,$(f)))

.PHONY: fuzz fuzz-merge

# ---- static analysis ---------------------------------------------------------
# cppcheck and clang-tidy on the sources with the default config header, then
# every source and test program compiled with -Werror by gcc and clang.

LINT_SRC = $(wildcard applet/*.c applet/standalone/*.c)
LINT_CPP = -std=c99 -D_GNU_SOURCE -include $(BUILD)/autoconf.h -Iapplet -I$(BUILD) -Iapplet/standalone/arch/x86_64

lint: $(BUILD)/autoconf.h $(BUILD)/usage.h
	cppcheck --quiet --error-exitcode=1 --std=c99 --enable=warning,style,performance,portability \
		--inline-suppr --suppressions-list=tests/cppcheck.supp \
		-D_GNU_SOURCE --include=$(BUILD)/autoconf.h -Iapplet -I$(BUILD) -Iapplet/standalone/arch/x86_64 \
		-D__CPPCHECK__ -D__linux__ -D__x86_64__ $(LINT_SRC)
	@echo "lint: cppcheck clean"
	@# clang-tidy counts the warnings it hides in system headers on stderr.
	clang-tidy --quiet --warnings-as-errors='*' $(LINT_SRC) -- $(LINT_CPP) \
		>$(BUILD)/clang-tidy.log 2>&1; rc=$$?; \
		grep -v ' warnings\{0,1\} generated\.$$' $(BUILD)/clang-tidy.log; \
		echo "lint: clang-tidy exit $$rc"; exit $$rc
	@for cc in gcc clang; do \
		for f in $(LINT_SRC); do \
			$$cc $(LINT_CPP) -Wall -Wextra -Wno-unused-parameter -Werror -Os \
				-fsyntax-only $$f || exit 1; \
		done; \
		for f in $(wildcard tests/t_*.c); do \
			$$cc -std=c99 -D_GNU_SOURCE -Iapplet -Wall -Wextra -Wno-unused-parameter \
				-Werror -Os -fsyntax-only $$f || exit 1; \
		done; \
		echo "lint: $$cc -Wall -Wextra -Werror clean"; \
	done

.PHONY: lint
