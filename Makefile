# xv6-net: an xv6-style RISC-V kernel that talks to the network.
#
#   make            kernel (build/kernel) and file system image (build/fs.img)
#   make qemu       boot it (installs what is missing first); CPUS=3 FWDPORT=... FWDPORT_TLS=... NIC=virtio|e1000|both RNG=1|0
#   make qemu-gdb   boot it stopped, waiting for gdb on a free port
#   make test       every test: host unit tests (swift test) and QEMU integration tests
#   make coverage   a kernel that records which of its edges ran (build-cov/kernel)
#   make fuzz-syscalls   the system-call fuzzer for SECONDS (default 600) [SEED=]
#   make profile    a sampling profile of the kernel under WORKLOAD=download|upload-sink|upload-file|cmd:LINE [HZ=]
#   make lab LAB=name     the starting point of a lab (build/labs/name); make grade LAB=name [TREE=dir] grades one
#   make clean      remove build outputs (lwIP's fetched sources in .deps/ stay)
#
# C and assembly are built with the Swift toolchain's own clang and ld.lld; Swift
# for the kernel with its Embedded Swift target. No GNU cross compiler is needed.

CPUS ?= 3
# The host port forwarded to the guest's port 80. Derived from the user id so two
# users on one machine don't collide (as the JOS lab did); override with FWDPORT=.
FWDPORT ?= $(shell expr `id -u` % 5000 + 25080)
# The host port forwarded to the guest's 443 (httpd -s): FWDPORT + 363, so
# 25080 goes with 25443 and FWDPORT=8080 with 8443.
FWDPORT_TLS ?= $(shell expr $(FWDPORT) + 363)
# Where QEMU records every frame of the guest's NIC (open it in Wireshark).
PCAP ?= pcap/en0.pcap
# NET=user (QEMU's user network, the default) or NET=tap TAP=ifname (test beds).
NET ?= user
TAP ?= tap0
# The disk image QEMU boots on. The tests give each guest its own copy
# (build/test-disks/NAME.img) and check it with build/fsck when the guest ends.
DISK ?= $(BUILD)/fs.img
# SNAPSHOT=1 boots with the disk's writes discarded at exit.
SNAPSHOT ?= 0
# COVERAGE=1 boots the coverage build of the kernel (build-cov/kernel).
COVERAGE ?= 0

BUILD := build
SHELL := /bin/bash
comma := ,

TOOLBIN ?= $(or $(dir $(shell command -v swiftc 2>/dev/null)),/opt/swift/usr/bin/)
CLANG := $(TOOLBIN)clang
LD := $(TOOLBIN)ld.lld
OBJDUMP := $(TOOLBIN)llvm-objdump
AR := $(TOOLBIN)llvm-ar
OBJCOPY := $(TOOLBIN)llvm-objcopy
SWIFTC := $(TOOLBIN)swiftc
HOSTCC ?= cc
RESDIR := $(shell $(CLANG) -print-resource-dir)

RVFLAGS := --target=riscv64-unknown-elf -march=rv64imac -mabi=lp64 -mcmodel=medany
CFLAGS := $(RVFLAGS) -ffreestanding -fno-builtin -nostdlib -nostdinc \
          -isystem $(RESDIR)/include -Wall -Werror -O2 -fno-omit-frame-pointer \
          -ggdb -gdwarf-4 -fno-common -fno-pie -MD -MP
KCFLAGS := $(CFLAGS) -I Kernel -I CShims/include
# User programs include "kernel/types.h" and "user/user.h" as on xv6-riscv:
# build/include/kernel is a link to Kernel/ made at build time.
# Each function and datum in its own section: programs link the user library
# as an archive with --gc-sections and keep only what they use.
UCFLAGS := $(CFLAGS) -I User/include -I $(BUILD)/include -I CShims/include -Wno-nonportable-include-path \
           -ffunction-sections -fdata-sections
LDFLAGS := -z max-page-size=4096
# `make V=1` shows every command; by default each step prints one short line.
Q := $(if $(filter 1,$(V)),,@)

# Keep object files of user programs (make would delete them as intermediates).
.SECONDARY:

.PHONY: all qemu qemu-gdb test test-unit test-integration clean setup-qemu setup-test bench coverage
all: $(BUILD)/kernel $(BUILD)/fs.img $(BUILD)/fsck

# ---------------------------------------------------------------- kernel (C, asm)
KERNEL_C := $(wildcard Kernel/*.c)
KERNEL_S := $(filter-out Kernel/entry.S,$(wildcard Kernel/*.S))
KERNEL_OBJS := $(BUILD)/obj/kernel/entry.o \
               $(patsubst Kernel/%.S,$(BUILD)/obj/kernel/%.o,$(KERNEL_S)) \
               $(patsubst Kernel/%.c,$(BUILD)/obj/kernel/%.o,$(KERNEL_C))

$(BUILD)/obj/kernel/%.o: Kernel/%.c
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/kernel/%.o: Kernel/%.S
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(KCFLAGS) -c $< -o $@

# --- swift: begin
# Swift modules that run in the kernel, in dependency order: each module may
# import the ones listed before it. Each is one Embedded Swift object,
# compiled whole-module from its folder's *.swift: Sources/Drivers/<Module>
# for drivers (Device is what they share), Sources/<Module> otherwise;
# SWIFT_FLAGS_<Module> adds flags for one module.
SWIFT_MODULES := Device VirtIO PCI E1000 Sockets
SWIFT_DRIVER_MODULES := Device VirtIO PCI E1000
swift_dir = $(if $(filter $(1),$(SWIFT_DRIVER_MODULES)),Sources/Drivers/$(1),Sources/$(1))
SWIFT_KERNEL_OBJS := $(patsubst %,$(BUILD)/swift/%.o,$(SWIFT_MODULES))
# The kernel services Swift calls (CShims/include/kshim.h) are kernel C,
# Kernel/kshim.c: CShims itself includes no Kernel/ header.

# The ABI must match the C code's (rv64imac, lp64 soft-float) or ld.lld refuses.
# Extern: @_extern(c) declarations of C functions no header gives Swift.
# -fno-omit-frame-pointer, as for C: Swift's code generator takes it from the
# Clang options; without it Swift uses s0 as a plain register and the
# profiler's stack walks (Kernel/profile.c) stop at the first Swift frame.
# Cost: the kernel's text grows by 4 KB (2%: 205 to 209 KB).
SWIFT_KFLAGS := -target riscv64-none-none-eabi -enable-experimental-feature Embedded \
    -enable-experimental-feature Extern \
    -wmo -parse-as-library -Osize -Xfrontend -disable-stack-protector \
    -Xfrontend -function-sections -Xcc -march=rv64imac -Xcc -mabi=lp64 -Xcc -fno-omit-frame-pointer \
    -I CShims/include -I $(BUILD)/swift -module-cache-path $(BUILD)/swift/module-cache
# E1000_TX_CSUM=1 builds the e1000 driver with transmit checksum offload
# (Sources/Drivers/E1000/TxChecksum.swift). Off by default: it measured no
# gain under TCG (numbers in Exports.swift). The flag is kept in
# build/swift/E1000.flags so that changing it rebuilds the module.
E1000_TX_CSUM ?= 0
SWIFT_FLAGS_E1000 := $(if $(filter 1,$(E1000_TX_CSUM)),-D E1000_TX_CSUM)
$(BUILD)/swift/E1000.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(SWIFT_FLAGS_E1000)' | cmp -s - $@ || echo '$(SWIFT_FLAGS_E1000)' > $@
$(BUILD)/swift/E1000.o: $(BUILD)/swift/E1000.flags
.PHONY: FORCE
FORCE:
SWIFT_CSHIMS_HDRS := CShims/include/module.modulemap $(wildcard CShims/include/*.h CShims/include/abi/*.h)

# $(1): the module; $(2): the modules before it, whose .swiftmodule it imports.
define swift_module_rule
$(BUILD)/swift/$(1).o $(BUILD)/swift/$(1).swiftmodule &: $(wildcard $(call swift_dir,$(1))/*.swift) \
    $(SWIFT_CSHIMS_HDRS) $(patsubst %,$(BUILD)/swift/%.swiftmodule,$(2))
	@mkdir -p $(BUILD)/swift
	@echo "  SWIFT  $(1)"
	$(Q)$(SWIFTC) $(SWIFT_KFLAGS) $$(SWIFT_FLAGS_$(1)) -module-name $(1) \
	    -emit-module -emit-module-path $(BUILD)/swift/$(1).swiftmodule \
	    -c $(wildcard $(call swift_dir,$(1))/*.swift) -o $(BUILD)/swift/$(1).o
	@# swiftc leaves an output untouched when its bytes did not change: mark both
	@# as made now, or make would run this rule again every time.
	@touch $(BUILD)/swift/$(1).o $(BUILD)/swift/$(1).swiftmodule
endef
swift_modules_before :=
$(foreach m,$(SWIFT_MODULES),$(eval $(call swift_module_rule,$(m),$(swift_modules_before)))$(eval swift_modules_before += $(m)))

# --- swift: end

# --- lwip: begin
# lwIP 2.1.3 from Debian's source package, fetched and verified by
# tools/fetch-lwip.sh into .deps/ (kept by `make clean`). Only what the kernel
# uses: the core, IPv4, IPv6 and Ethernet; no thread APIs, no apps.
LWIP_DIR := .deps/lwip-2.1.3
LWIP_STAMP := $(LWIP_DIR)/.verified-sha256
LWIP_INCS := -I lwipopts -I lwipopts/libc -I $(LWIP_DIR)/src/include
LWIP_CORE := def dns inet_chksum init ip mem memp netif pbuf raw stats sys \
             tcp tcp_in tcp_out timeouts udp
LWIP_IPV4 := dhcp etharp icmp ip4 ip4_addr ip4_frag
LWIP_IPV6 := dhcp6 ethip6 icmp6 inet6 ip6 ip6_addr ip6_frag mld6 nd6
LWIP_SRCS := $(patsubst %,$(LWIP_DIR)/src/core/%.c,$(LWIP_CORE)) \
             $(patsubst %,$(LWIP_DIR)/src/core/ipv4/%.c,$(LWIP_IPV4)) \
             $(patsubst %,$(LWIP_DIR)/src/core/ipv6/%.c,$(LWIP_IPV6)) \
             $(LWIP_DIR)/src/netif/ethernet.c
# lwIP's own files: kernel flags, but its warnings are upstream's, not errors.
LWIP_CFLAGS := $(filter-out -Werror,$(CFLAGS)) $(LWIP_INCS)
# The port and netif glue (Net/lwip_*.c): ours, so -Werror stays.
LWIP_GLUE_C := $(wildcard Net/lwip_*.c)
LWIP_OBJS := $(patsubst $(LWIP_DIR)/src/%.c,$(BUILD)/lwip/%.o,$(LWIP_SRCS)) \
             $(patsubst Net/%.c,$(BUILD)/lwip/glue/%.o,$(LWIP_GLUE_C))
# The glue sees lwIP, the bridge's headers (netdev.h, kshim.h) and its own;
# never Kernel/: it reaches the kernel only as Swift does, through CShims.
GLUE_CFLAGS := $(CFLAGS) -I Net -I CShims/include $(LWIP_INCS)

$(LWIP_STAMP):
	tools/fetch-lwip.sh

# The sources appear when the stamp does; their objects wait for it.
$(LWIP_SRCS): | $(LWIP_STAMP)

$(BUILD)/lwip/%.o: $(LWIP_DIR)/src/%.c lwipopts/lwipopts.h lwipopts/arch/cc.h | $(LWIP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(LWIP_CFLAGS) -c $< -o $@

$(BUILD)/lwip/glue/%.o: Net/%.c | $(LWIP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(GLUE_CFLAGS) -c $< -o $@

# Kernel/net.c calls lwIP directly.
$(BUILD)/obj/kernel/net.o: KCFLAGS += -I Net $(LWIP_INCS)
$(BUILD)/obj/kernel/net.o: | $(LWIP_STAMP)

-include $(wildcard $(BUILD)/lwip/*/*.d $(BUILD)/lwip/*/*/*.d)
# --- lwip: end

# kernel.map: which object each function came from (tools/profile/ names modules by it).
$(BUILD)/kernel: $(KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS) Kernel/kernel.ld
	@echo "  LD     $@"
	$(Q)$(LD) $(LDFLAGS) -T Kernel/kernel.ld --gc-sections -Map $(BUILD)/kernel.map -o $@ \
	    $(KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS)
	$(Q)$(OBJDUMP) -S $@ > $(BUILD)/kernel.asm 2>/dev/null || true

# --- coverage: begin
# The same kernel with Kernel/*.c compiled to record which edges run (KCOV-like:
# clang's trace-pc-guard; Kernel/kcov.c keeps a flag per edge, kstat
# KSTAT_COV_HIT/KSTAT_COV_TOTAL count them), for the system-call fuzzer. Its C
# objects go to build-cov/; Swift, lwIP and CShims objects are the normal
# build's. kcov.c itself is not instrumented: it is the callback; nor is
# kshim.c, the Swift modules' kernel services (CShims/include/kshim.h).
COVBUILD := build-cov
# pc-table: each edge's address, in guard order, for tools/sysfuzz/cover.py.
COVFLAGS := -fsanitize-coverage=trace-pc-guard,pc-table
COV_KERNEL_OBJS := $(patsubst $(BUILD)/obj/kernel/%,$(COVBUILD)/obj/kernel/%,$(KERNEL_OBJS))

$(COVBUILD)/obj/kernel/%.o: Kernel/%.c
	@mkdir -p $(@D)
	@echo "  CC+COV $@"
	$(Q)$(CLANG) $(KCFLAGS) $(if $(filter kcov kshim,$*),,$(COVFLAGS)) -c $< -o $@

$(COVBUILD)/obj/kernel/%.o: Kernel/%.S
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(KCFLAGS) -c $< -o $@

$(COVBUILD)/obj/kernel/net.o: KCFLAGS += -I Net $(LWIP_INCS)
$(COVBUILD)/obj/kernel/net.o: | $(LWIP_STAMP)

$(COVBUILD)/kernel: $(COV_KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS) Kernel/kernel.ld
	@echo "  LD     $@"
	$(Q)$(LD) $(LDFLAGS) -T Kernel/kernel.ld --gc-sections -o $@ \
	    $(COV_KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS)

coverage: $(COVBUILD)/kernel $(BUILD)/fs.img

-include $(wildcard $(COVBUILD)/obj/kernel/*.d)
# --- coverage: end

# ---------------------------------------------------------------- user space
ULIB_SRC := $(wildcard User/lib/*.c) $(wildcard User/lib/*.S)
ULIB_OBJS := $(patsubst User/lib/%,$(BUILD)/obj/user/lib/%.o,$(basename $(ULIB_SRC)))
ULIB_A := $(BUILD)/user/libxv6.a
UPROG_NAMES := $(basename $(notdir $(wildcard User/*.c)))
UPROGS := $(patsubst %,$(BUILD)/user/_%,$(UPROG_NAMES))

$(BUILD)/include/kernel:
	@mkdir -p $(@D)
	@ln -sfn ../../Kernel $@

$(BUILD)/obj/user/lib/%.o: User/lib/%.c | $(BUILD)/include/kernel
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(UCFLAGS) -c $< -o $@

$(BUILD)/obj/user/lib/%.o: User/lib/%.S | $(BUILD)/include/kernel
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(UCFLAGS) -I Kernel -c $< -o $@

$(BUILD)/obj/user/%.o: User/%.c | $(BUILD)/include/kernel
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(UCFLAGS) -c $< -o $@

$(ULIB_A): $(ULIB_OBJS)
	@mkdir -p $(@D)
	@echo "  AR     $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The entry point, start (ulib.c), is what pulls ulib.o out of the archive.
$(BUILD)/user/_%: $(BUILD)/obj/user/%.o $(ULIB_A) User/user.ld
	@mkdir -p $(@D)
	@echo "  LD     $@"
	$(Q)$(LD) $(LDFLAGS) -T User/user.ld --gc-sections -u start -o $@ $< $(ULIB_A)

# --- posix: begin
# POSIX programs: each User/posix/NAME.c is a program written for POSIX and
# BSD sockets, with its own standard #include lines, built against Debian's
# picolibc (installed by tools/setup.sh posix on first use) and the project's
# POSIX layer (User/posix/include: the headers picolibc lacks; User/posix/lib:
# crt0, the system calls, sockets, the resolver). It lands in fs.img as NAME,
# beside the xv6-style programs of User/*.c. See docs/posix.md.
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
# picolibc's multilib for the user programs' -march=rv64imac -mabi=lp64.
PICOLIBC_LIB := $(PICOLIBC)/lib/rv64imac/lp64
PICOLIBC_STAMP := $(PICOLIBC_LIB)/libc.a
# GCC's runtime helpers (soft float, __riscv_save_*) that picolibc's objects
# call: from the same multilib of gcc-riscv64-unknown-elf, which Debian's
# picolibc package depends on. Looked up when linking (it appears on install).
LIBGCC = $(firstword $(wildcard /usr/lib/gcc/riscv64-unknown-elf/*/rv64imac/lp64/libgcc.a))

# Our headers first (they replace picolibc's <arpa/inet.h>), then picolibc's,
# then the compiler's (stddef.h, stdarg.h). No -ffreestanding: this is hosted C.
PCFLAGS := $(RVFLAGS) -nostdinc -isystem User/posix/include -isystem $(PICOLIBC)/include \
           -isystem $(RESDIR)/include -I User/include -I $(BUILD)/include -I CShims/include \
           -Wno-nonportable-include-path -O2 -Wall -ggdb -gdwarf-4 -fno-common -fno-pie \
           -ffunction-sections -fdata-sections -MD -MP \
           -D_POSIX_TIMERS=200809L -D_POSIX_MONOTONIC_CLOCK=200809L
# (picolibc's <time.h> declares clock_gettime, nanosleep and CLOCK_MONOTONIC
# only for systems that say they have them: the layer does, User/posix/lib/time.c.)
# The layer itself: warnings are errors; XV6NET_POSIX selects the POSIX side
# of the user library files both worlds share (User/lib/inet.c, resolv.c).
POSIX_LIB_CFLAGS := $(PCFLAGS) -Werror -DXV6NET_POSIX -I User/posix/lib
POSIX_SHARED := inet resolv
POSIX_LIB_SRC := $(filter-out User/posix/lib/crt0.S,$(wildcard User/posix/lib/*.c User/posix/lib/*.S))
POSIX_LIB_OBJS := $(patsubst User/posix/lib/%,$(BUILD)/obj/posix/lib/%.o,$(basename $(POSIX_LIB_SRC))) \
                  $(patsubst %,$(BUILD)/obj/posix/lib/shared_%.o,$(POSIX_SHARED))
POSIX_CRT0 := $(BUILD)/obj/posix/lib/crt0.o
POSIX_LIBA := $(BUILD)/posix/libposix.a
# A program of one file: User/posix/NAME.c. Of several: User/posix/NAME/*.c
# (any folder but include/ and lib/), its own .h files beside them.
POSIX_SINGLE := $(basename $(notdir $(wildcard User/posix/*.c)))
POSIX_MULTI := $(sort $(filter-out include lib,$(patsubst User/posix/%/,%,$(dir $(wildcard User/posix/*/*.c)))))
POSIX_NAMES := $(POSIX_SINGLE) $(POSIX_MULTI)
POSIX_PROGS := $(patsubst %,$(BUILD)/user/_%,$(POSIX_NAMES))
ifneq ($(filter $(UPROG_NAMES),$(POSIX_NAMES)),)
$(error User/posix/ and User/ both have $(filter $(UPROG_NAMES),$(POSIX_NAMES)): one name in fs.img each)
endif
ifneq ($(filter $(POSIX_SINGLE),$(POSIX_MULTI)),)
$(error User/posix/ has both NAME.c and NAME/ for $(filter $(POSIX_SINGLE),$(POSIX_MULTI)))
endif
# The objects of program NAME.
posix_objs = $(if $(filter $(1),$(POSIX_MULTI)),$(patsubst User/posix/%.c,$(BUILD)/obj/posix/%.o,$(wildcard User/posix/$(1)/*.c)),$(BUILD)/obj/posix/$(1).o)

$(PICOLIBC_STAMP):
	tools/setup.sh posix

$(BUILD)/obj/posix/lib/%.o: User/posix/lib/%.c | $(BUILD)/include/kernel $(PICOLIBC_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(POSIX_LIB_CFLAGS) -c $< -o $@

$(BUILD)/obj/posix/lib/%.o: User/posix/lib/%.S | $(BUILD)/include/kernel
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(POSIX_LIB_CFLAGS) -c $< -o $@

$(BUILD)/obj/posix/lib/shared_%.o: User/lib/%.c | $(BUILD)/include/kernel $(PICOLIBC_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(POSIX_LIB_CFLAGS) -c $< -o $@

$(POSIX_LIBA): $(POSIX_LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  AR     $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/obj/posix/%.o: User/posix/%.c | $(BUILD)/include/kernel $(PICOLIBC_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(PCFLAGS) -c $< -o $@

# The group: picolibc calls back into the layer (read, write, sbrk, _exit).
# Second expansion: a program's objects are known only once % is.
.SECONDEXPANSION:
$(POSIX_PROGS): $(BUILD)/user/_%: $$(call posix_objs,$$*) $$(call posix_libs,$$*) $(POSIX_CRT0) $(POSIX_LIBA) User/posix/posix.ld
	@mkdir -p $(@D)
	@echo "  LD     $@"
	$(Q)$(LD) $(LDFLAGS) -T User/posix/posix.ld --gc-sections -o $@ $(POSIX_CRT0) \
	    $(call posix_objs,$*) \
	    --start-group $(call posix_libs,$*) $(POSIX_LIBA) $(PICOLIBC_LIB)/libc.a $(LIBGCC) --end-group

-include $(wildcard $(BUILD)/obj/posix/*.d $(BUILD)/obj/posix/*/*.d)
# --- posix: end

# --- tls: begin
# TLS for POSIX programs: the project's tls library (User/tls/: tls.h is its
# whole interface) over mbedTLS 2.28.3 from Debian's source package, fetched and
# verified by tools/fetch-mbedtls.sh into .deps/ (kept by `make clean`) and
# configured by User/tls/mbedtls_config.h alone. Both are built with the POSIX
# programs' flags into build/tls/libtls.a, and only when a program listed in
# TLS_PROGS is linked: nothing is fetched or built for the others.
TLS_PROGS := httpget wttr httpd
MBEDTLS_DIR := .deps/mbedtls-2.28.3
MBEDTLS_STAMP := $(MBEDTLS_DIR)/.verified-sha256
TLS_LIBA := $(BUILD)/tls/libtls.a
# Every program may include "tls.h"; only TLS_PROGS link the library.
PCFLAGS += -I User/tls
posix_libs = $(if $(filter $(1),$(TLS_PROGS)),$(TLS_LIBA))
TLS_CFLAGS := $(PCFLAGS) -I $(MBEDTLS_DIR)/include '-DMBEDTLS_CONFIG_FILE="mbedtls_config.h"'
# mbedTLS's own files: its warnings are upstream's, not errors. The files its
# configuration leaves out compile to nothing and add nothing to a program.
MBEDTLS_OBJS = $(patsubst $(MBEDTLS_DIR)/library/%.c,$(BUILD)/tls/mbedtls/%.o,$(wildcard $(MBEDTLS_DIR)/library/*.c))
TLS_OBJS := $(patsubst User/tls/%.c,$(BUILD)/tls/obj/%.o,$(wildcard User/tls/*.c))

$(MBEDTLS_STAMP):
	tools/fetch-mbedtls.sh

$(BUILD)/tls/mbedtls/%.o: $(MBEDTLS_DIR)/library/%.c User/tls/mbedtls_config.h | $(MBEDTLS_STAMP) $(PICOLIBC_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(TLS_CFLAGS) -c $< -o $@

$(BUILD)/tls/obj/%.o: User/tls/%.c User/tls/mbedtls_config.h | $(MBEDTLS_STAMP) $(BUILD)/include/kernel $(PICOLIBC_STAMP)
	@mkdir -p $(@D)
	@echo "  CC     $@"
	$(Q)$(CLANG) $(TLS_CFLAGS) -Werror -c $< -o $@

# The list of mbedTLS's sources exists only once it is fetched: the archive is
# made by a recursive make that sees them.
$(TLS_LIBA): $(TLS_OBJS) User/tls/mbedtls_config.h | $(MBEDTLS_STAMP)
	$(Q)$(MAKE) --no-print-directory tls-archive

.PHONY: tls-archive
tls-archive: $(TLS_OBJS) $(MBEDTLS_OBJS)
	@mkdir -p $(BUILD)/tls
	@echo "  AR     $(TLS_LIBA)"
	$(Q)rm -f $(TLS_LIBA) && $(AR) rcs $(TLS_LIBA) $^

-include $(wildcard $(BUILD)/tls/*/*.d)

# The same library and httpget built for the host with the same configuration:
# the host tests (Tests/tls/) run the error cases against Python TLS servers
# in a second, and measure mbedTLS's heap. tls_entropy() uses the host's getrandom.
# (Truncated messages are intended: gcc's -Wformat-truncation is off.)
HOST_TLS := $(BUILD)/host-tls
HOST_TLS_CFLAGS := -O1 -g -Wall -Wno-format-truncation -I User/tls -I $(MBEDTLS_DIR)/include '-DMBEDTLS_CONFIG_FILE="mbedtls_config.h"' -MD -MP
HOST_MBEDTLS_OBJS = $(patsubst $(MBEDTLS_DIR)/library/%.c,$(HOST_TLS)/mbedtls/%.o,$(wildcard $(MBEDTLS_DIR)/library/*.c))
HOST_TLS_OBJS := $(patsubst User/tls/%.c,$(HOST_TLS)/obj/%.o,$(wildcard User/tls/*.c))

$(HOST_TLS)/mbedtls/%.o: $(MBEDTLS_DIR)/library/%.c User/tls/mbedtls_config.h | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOST_TLS_CFLAGS) -c $< -o $@

$(HOST_TLS)/obj/%.o: User/tls/%.c User/tls/mbedtls_config.h | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOST_TLS_CFLAGS) -Werror -c $< -o $@

$(HOST_TLS)/libtls.a: $(HOST_TLS_OBJS) User/tls/mbedtls_config.h | $(MBEDTLS_STAMP)
	$(Q)$(MAKE) --no-print-directory host-tls-archive

.PHONY: host-tls-archive test-tls-host
host-tls-archive: $(HOST_TLS_OBJS) $(HOST_MBEDTLS_OBJS)
	@echo "  AR     $(HOST_TLS)/libtls.a"
	$(Q)rm -f $(HOST_TLS)/libtls.a && ar rcs $(HOST_TLS)/libtls.a $^

$(HOST_TLS)/httpget: User/posix/httpget.c $(HOST_TLS)/libtls.a
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOST_TLS_CFLAGS) -Werror -o $@ $< $(HOST_TLS)/libtls.a

$(HOST_TLS)/test_san: Tests/tls/test_san.c User/tls/tls_san.c User/tls/tls_internal.h | $(MBEDTLS_STAMP)
	@mkdir -p $(@D)
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOST_TLS_CFLAGS) -Werror -o $@ Tests/tls/test_san.c User/tls/tls_san.c

$(HOST_TLS)/tls_echo_server: Tests/tls/tls_echo_server.c $(HOST_TLS)/libtls.a
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOST_TLS_CFLAGS) -Werror -o $@ $< $(HOST_TLS)/libtls.a

# The name checks (pure C), then httpget against host TLS servers (every case),
# and tls_server against Python clients.
test-tls-host: $(HOST_TLS)/test_san $(HOST_TLS)/httpget $(HOST_TLS)/tls_echo_server
	$(HOST_TLS)/test_san
	python3 Tests/tls/test_tls_host.py

-include $(wildcard $(HOST_TLS)/*/*.d)
# --- tls: end

# The kernel's copy routines (Kernel/string.c) built for the host and checked
# at every alignment, next to inaccessible pages (Tests/kstring/test_kstring.c).
$(BUILD)/host/test_kstring: Tests/kstring/test_kstring.c Kernel/string.c Kernel/types.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -Werror -Wall -O1 -fno-builtin -I Kernel -o $@ Tests/kstring/test_kstring.c

.PHONY: test-kstring
test-kstring: $(BUILD)/host/test_kstring
	$(BUILD)/host/test_kstring

# ---------------------------------------------------------------- file system image
$(BUILD)/mkfs: tools/mkfs.c Kernel/fs.h Kernel/param.h
	@mkdir -p $(@D)
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) -Werror -Wall -O2 -I Kernel -o $@ tools/mkfs.c

# fsck checks an image as the kernel would see it after boot (tools/fsck.c).
$(BUILD)/fsck: tools/fsck.c Kernel/fs.h Kernel/param.h Kernel/stat.h
	@mkdir -p $(@D)
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) -Werror -Wall -Wextra -Wno-sign-compare -O2 -I Kernel -o $@ tools/fsck.c

# The web site httpd serves: the committed pages plus generated binary files.
WWW_FILES := $(wildcard www/*)
$(BUILD)/www/big.bin: tools/genfile.py
	@mkdir -p $(@D)
	@echo "  GEN    $@"
	$(Q)python3 tools/genfile.py $@ 1048576

# The programs go into the image without symbols and debug information
# (echo: 215 KB linked whole with debug information, 60 KB after
# --gc-sections, 8.5 KB stripped); build/user/ keeps the full ones for gdb.
IMG_PROGS := $(patsubst $(BUILD)/user/%,$(BUILD)/img/%,$(UPROGS) $(POSIX_PROGS))
$(BUILD)/img/_%: $(BUILD)/user/_%
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all $< $@

FS_CONTENTS := README.md $(IMG_PROGS) $(WWW_FILES) $(BUILD)/www/big.bin
FS_ARGS := README.md $(IMG_PROGS) $(foreach f,$(WWW_FILES),$(f)=$(f)) www/big.bin=$(BUILD)/www/big.bin
# Device files: majors from Kernel/file.h (RANDOM 2, URANDOM 3; Kernel/random.c).
FS_ARGS += dev/random=%2 dev/urandom=%3
# The CA bundle TLS clients trust by default (User/tls/tls.h, TLS_CA_BUNDLE): Debian's
# ca-certificates on the build host, under a name that fits DIRSIZ (14).
CA_BUNDLE := /etc/ssl/certs/ca-certificates.crt
FS_CONTENTS += $(CA_BUNDLE)
FS_ARGS += etc/ssl/certs/ca-bundle.crt=$(CA_BUNDLE)
$(CA_BUNDLE):
	tools/setup.sh posix

$(BUILD)/fs.img: $(BUILD)/mkfs $(FS_CONTENTS)
	@echo "  MKFS   $@"
	$(Q)$(BUILD)/mkfs $@ $(FS_ARGS)

# What fs.img is made of, for tests that make images of their own.
.PHONY: fs-args
fs-args:
	@echo $(FS_ARGS)

-include $(BUILD)/obj/kernel/*.d $(BUILD)/obj/user/*.d $(BUILD)/obj/user/lib/*.d

# ---------------------------------------------------------------- running it
QEMU := qemu-system-riscv64
KERNEL_IMAGE := $(if $(filter 1,$(COVERAGE)),$(COVBUILD)/kernel,$(BUILD)/kernel)
QEMUOPTS := -machine virt -bios none -kernel $(KERNEL_IMAGE) -m 128M -smp $(CPUS) -nographic
QEMUOPTS += -global virtio-mmio.force-legacy=false
QEMUOPTS += -drive file=$(DISK),if=none,format=raw,id=x0$(if $(filter 1,$(SNAPSHOT)),$(comma)snapshot=on)
QEMUOPTS += -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
# The entropy device (Kernel/random.c, docs/random.md), fed from the host's
# /dev/urandom. RNG=0 boots without it (the kernel falls back to timer jitter).
RNG ?= 1
ifeq ($(RNG),1)
QEMUOPTS += -object rng-random,filename=/dev/urandom,id=rng0
QEMUOPTS += -device virtio-rng-device,rng=rng0,bus=virtio-mmio-bus.2
endif
# The NIC: NIC=virtio (virtio-net on the virtio-mmio bus, the default),
# NIC=e1000 (Intel 82540EM on the PCIe bus), or NIC=both (en0 virtio-net as
# above, en1 an e1000 on a QEMU network of its own, 10.0.3.0/24 and
# fd00:3::/64 (a prefix apart from en0's fec0::/64), whose port 80
# is forwarded from FWDPORT1 and whose frames go to PCAP1).
NIC ?= virtio
FWDPORT1 ?= $(shell expr $(FWDPORT) + 1)
PCAP1 ?= $(patsubst %en0.pcap,%en1.pcap,$(PCAP))
nic_device_virtio = -device virtio-net-device,netdev=$(1),bus=virtio-mmio-bus.1
# romfile=: no option ROM (its PXE code is for firmware; with -bios none
# nothing runs it, and QEMU refuses to start when ipxe-qemu is not installed).
nic_device_e1000 = -device e1000,netdev=$(1),bus=pcie.0,romfile=
ifeq ($(NET),tap)
# vnet_hdr=off: the guest negotiates no offloads, and with the header on QEMU's
# capture (filter-dump) puts its 12 bytes before every frame, unreadable to tshark.
QEMUOPTS += -netdev tap,id=net0,ifname=$(TAP),script=no,downscript=no,vnet_hdr=off
else
# Both families (QEMU's default; naming one alone turns the other off): its
# router advertises fec0::/64, the host is fec0::2 and the DNS server fec0::3
# (over DHCPv6). hostfwd is IPv4 only.
# Guest port 443 (httpd -s) is forwarded from FWDPORT_TLS when that host port is
# free: the qemu rule checks and sets $${FWDTLS} (the shell's) to the forward, so
# a busy port costs the HTTPS forward and never the boot.
QEMUOPTS += -netdev user,id=net0,ipv4=on,ipv6=on,hostfwd=tcp::$(FWDPORT)-:80$${FWDTLS}
endif
QEMUOPTS += -object filter-dump,id=net0dump,netdev=net0,file=$(PCAP)
ifeq ($(NIC),both)
QEMUOPTS += $(call nic_device_virtio,net0)
QEMUOPTS += -netdev user,id=net1,ipv4=on,net=10.0.3.0/24,ipv6=on,ipv6-net=fd00:3::/64,hostfwd=tcp::$(FWDPORT1)-:80
QEMUOPTS += -object filter-dump,id=net1dump,netdev=net1,file=$(PCAP1)
QEMUOPTS += $(call nic_device_e1000,net1)
else ifneq ($(filter $(NIC),virtio e1000),)
QEMUOPTS += $(call nic_device_$(NIC),net0)
else
$(error NIC=$(NIC): use virtio, e1000 or both)
endif

setup-qemu:
	@tools/setup.sh qemu

setup-test:
	@tools/setup.sh test

qemu: setup-qemu all $(KERNEL_IMAGE)
	@mkdir -p $(dir $(PCAP))
	@if python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("", $(FWDPORT_TLS)))' 2>/dev/null; then \
	    FWDTLS=",hostfwd=tcp::$(FWDPORT_TLS)-:443"; tls="port 443 from $(FWDPORT_TLS) (https://localhost:$(FWDPORT_TLS)/ once httpd -s runs)"; \
	else FWDTLS=; tls="port 443 not forwarded (host port $(FWDPORT_TLS) is busy; FWDPORT_TLS= picks another)"; fi; \
	echo "qemu: $(CPUS) harts, NIC=$(NIC); guest port 80 is forwarded from host port $(FWDPORT) (http://localhost:$(FWDPORT)/), $$tls; frames are captured in $(PCAP)$(if $(filter both,$(NIC)), (en1: port $(FWDPORT1)$(comma) $(PCAP1))); quit with poweroff or Ctrl-a x"; \
	$(QEMU) $(QEMUOPTS)

qemu-gdb: setup-qemu all $(KERNEL_IMAGE)
	@mkdir -p $(dir $(PCAP))
	$(eval GDBPORT := $(shell python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'))
	@echo "qemu: waiting for gdb: run 'gdb-multiarch $(BUILD)/kernel -ex \"target remote :$(GDBPORT)\"'"
	$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT)

# ---------------------------------------------------------------- tests
# The reliability report (docs/reliability.md) is written from every test run,
# also when a test failed, so it shows the failure.
# The network tests run a second time with the e1000 as the guest's NIC (the
# same test code, run.py --nic e1000): DHCP, ping, httpd/curl, sockets both
# ways, the malformed-frame (IPv4 and IPv6), flood and bad-network cases, and
# IPv6's address configuration (about 3 minutes). DHCP and DNS under loss and
# the bad network against the Linux peer test timers, not the driver: they run
# on virtio-net only.
NIC_TESTS := test_dhcp test_ping test_httpd_through_forward test_sockets_guest \
             test_reliability_malformed test_reliability_tcp_bad_network$$ \
             test_reliability_udp_flood test_ipv6_user_network test_ipv6_tap_slaac_dhcp6
test: setup-test all
	@echo "== host unit tests (swift test)"
	swift test
	@echo "== the fault-injecting relay's own tests"
	python3 tools/test_netrelay.py
	@echo "== fsck's own tests (damaged and random images), the crash checker's"
	python3 tools/test_fsck.py
	python3 tools/crash/test_model.py
	@echo "== the tutorial generator's drift check, its own tests; the labs' markers (lab.py lint)"
	python3 tools/tutorial/test_docs.py
	python3 tools/labs/lab.py lint
	@echo "== the tls library on the host: name checks, httpget and tls_server against host TLS peers"
	$(MAKE) --no-print-directory test-tls-host
	@echo "== the profiler's symbolising and folding (tools/profile/)"
	python3 tools/profile/test_profile.py
	@echo "== the kernel's memcpy, memmove and memset on the host, every alignment"
	$(MAKE) --no-print-directory test-kstring
	@echo "== fuzzing the receive path (replay of Tests/fuzz-corpus, then 30 s)"
	python3 tools/fuzz/run.py 30
	@echo "== fuzzing the system calls (replay of Tests/sysfuzz-regress, then $(SYSFUZZ_TEST_SECONDS) s), then the QEMU integration tests"
	@status=0; python3 tools/sysfuzz/run.py --seconds $(SYSFUZZ_TEST_SECONDS) --seed 1 || status=$$?; \
	    python3 Tests/integration/run.py || status=$$?; \
	    echo "== the network tests again on the e1000"; \
	    python3 Tests/integration/run.py --nic e1000 $(NIC_TESTS) || status=$$?; \
	    echo "== the tutorial against the running system (tools/tutorial/docs.py --check)"; \
	    python3 tools/tutorial/docs.py --check || status=$$?; \
	    echo "== crash consistency: $(TEST_CUTS) cuts (tools/crash/run.py)"; \
	    python3 tools/crash/run.py --cuts $(TEST_CUTS) --seed 1 || status=$$?; \
	    python3 tools/reliability_report.py; exit $$status

# --- labs: begin (tools/labs/, labs/)
# The tutorial's labs: each is labs/NAME (the hand-out's README.md, the hidden
# grade.py) and regions of the code marked LAB(NAME) (tools/labs/lab.py says how).
#   make lab LAB=name               its starting point, solution stubbed, in build/labs/name
#   make grade LAB=name [TREE=dir]  its checks, on this tree or on a student's
#   make lab-check [LAB=name]       every lab: the hand-out must fail, this tree pass
# Without LAB= the first two list the labs. Grading boots guests and runs host
# tests: what make test needs is installed first (quiet when present).
.PHONY: lab grade lab-check
lab:
	@python3 tools/labs/lab.py make $(LAB)
grade:
	@$(if $(LAB),tools/setup.sh test &&) python3 tools/labs/lab.py grade $(LAB) $(if $(TREE),--tree $(TREE))
lab-check: setup-test
	python3 tools/labs/lab.py check $(LAB)
# --- labs: end

# --- crash: begin (tools/crash/)
# Crash consistency: QEMU killed at random moments of User/crashwork.c's workload
# (two processes), the disk then checked by build/fsck and against what the
# workload was told was done. make test runs TEST_CUTS cuts (about 3 minutes).
#   make crash-test CUTS=N SEED=S      more cuts (two QEMUs at a time)
TEST_CUTS ?= 300
CUTS ?= 1000
SEED ?= 1
.PHONY: crash-test
crash-test: setup-test all
	python3 tools/crash/run.py --cuts $(CUTS) --seed $(SEED)
# --- crash: end

# --- fuzz: begin (tools/fuzz/, issue 6 point 5)
# Host fuzz target: arbitrary Ethernet frames into the kernel's netif glue and lwIP
# (libFuzzer + ASan + UBSan, with the Swift toolchain's clang; nothing to install).
#   make fuzz                 fuzz for FUZZTIME seconds (default 300)
#   make test-fuzz            replay Tests/fuzz-corpus/ and fuzz 30 s (part of make test)
# A crash input is saved to Tests/fuzz-corpus/regress/ and replayed from then on.
FUZZTIME ?= 300
.PHONY: fuzz test-fuzz reliability-report
fuzz: | $(LWIP_STAMP)
	FUZZTIME=$(FUZZTIME) python3 tools/fuzz/run.py
test-fuzz: | $(LWIP_STAMP)
	python3 tools/fuzz/run.py 30
# docs/reliability.md from build/reliability/*.json: last step of `make test`.
reliability-report:
	python3 tools/reliability_report.py
# --- fuzz: end

# --- sysfuzz: begin (tools/sysfuzz/, User/sysfuzz.c)
# The system-call fuzzer in a guest booting the coverage kernel: the regression
# cases of Tests/sysfuzz-regress/ replayed, then a run of SECONDS with 4 workers.
# A crash is reproduced alone, minimised and saved as a new regression case.
#   make fuzz-syscalls [SECONDS=600] [SEED=0x1234]   (SEED: default from the clock)
SECONDS ?= 600
SYSFUZZ_TEST_SECONDS ?= 75
.PHONY: fuzz-syscalls
fuzz-syscalls: setup-test all
	python3 tools/sysfuzz/run.py --seconds $(SECONDS) $(if $(SEED),--seed $(SEED))
# --- sysfuzz: end

test-unit:
	swift test

test-integration: setup-test all
	python3 Tests/integration/run.py $(if $(NIC),--nic $(NIC)) $(T)

# ---------------------------------------------------------------- profiling
# Not part of `make test`. Boots the kernel, samples every hart at HZ while a
# WORKLOAD runs (download, upload-sink, upload-file, or cmd:LINE for a guest
# command line), prints a flat profile and writes build/profile/<workload>.folded
# (for flamegraph.pl or speedscope). PROFILE_CPUS harts (default 1).
# See docs/performance-notes.md, "Profiling the kernel".
WORKLOAD ?= download
HZ ?= 1000
PROFILE_CPUS ?= 1
.PHONY: profile
profile: setup-qemu all
	python3 tools/profile/run.py --hz $(HZ) --cpus $(PROFILE_CPUS) --nic $(NIC) "$(WORKLOAD)"

# ---------------------------------------------------------------- the tutorial
# docs/tutorial/: every capture excerpt, table, transcript, plot and code excerpt
# between <!-- gen: ... --> markers is regenerated from the running system
# (tools/tutorial/docs.py: boots guests, runs each chapter's scenario). make test
# runs `docs.py --check`: a chapter whose blocks no longer match the system fails.
.PHONY: docs
docs: setup-docs all
	python3 tools/tutorial/docs.py

setup-docs:
	@tools/setup.sh docs

# ---------------------------------------------------------------- benchmarks
# Not part of `make test`. Builds the references once (Linux 6.1 guest, U-Boot;
# cached in .deps/bench), boots them and this kernel alternately, pinned to one
# host CPU, and writes docs/benchmarks.md and docs/benchmarks.png.
# Debian's python3 runs it: the chart needs Debian's matplotlib.
BENCH_RUNS ?= 5
BENCH_CPUS ?= 1,2
bench: setup-qemu all
	tools/bench/build-refs.sh
	BENCH_RUNS=$(BENCH_RUNS) BENCH_CPUS=$(BENCH_CPUS) /usr/bin/python3 tools/bench/run.py

clean:
	rm -rf $(BUILD) $(COVBUILD) pcap/*.pcap
