# Re-exec staging (GD_REEXEC); included by the Makefile.
#
#   make reexec-bench [BUILD=dir] [REEXEC_BENCH_N=31]
#
# Start latency of gd_make_daemon(): from starting the caller until it exits,
# which it does once the daemon is set up. Fork mode and GD_REEXEC alternate
# in one run, so both see the same machine load, with "base", the same
# program not daemonizing (process start and timing overhead); the median of
# each is printed, in microseconds. The daemon exits at once (t_reexec quick).

REEXEC_BENCH_N ?= 31

reexec-bench: $(BUILD)/t_reexec
	@d=$$(mktemp -d /tmp/gdbench.XXXXXX) && \
	for i in $$(seq $(REEXEC_BENCH_N)); do \
		for m in base fork reexec; do \
			o=quick,nothread,nolog; [ $$m = reexec ] || o=$$o,fork; \
			set -- run $$d $$o; [ $$m = base ] && set -- stage; \
			s=$$(date +%s%N); \
			$(RUN) $(BUILD)/t_reexec "$$@" >/dev/null || { rm -rf $$d; exit 1; }; \
			e=$$(date +%s%N); \
			echo $$(( (e - s) / 1000 )) >>$$d/$$m; \
		done; \
	done; \
	for m in base fork reexec; do \
		echo "$$m: median $$(sort -n $$d/$$m | sed -n "$$(( ($(REEXEC_BENCH_N) + 1) / 2 ))p") us of $(REEXEC_BENCH_N)"; \
	done; \
	rm -rf $$d

.PHONY: reexec-bench
