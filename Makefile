# xv6-net: an xv6-style RISC-V kernel that talks to the network.
#
#   make            kernel (build/kernel) and file system image (build/fs.img)
#   make qemu       boot it (installs what is missing first); CPUS=3 FWDPORT=...
#   make qemu-gdb   boot it stopped, waiting for gdb on a free port
#   make test       every test: host unit tests (swift test) and QEMU integration tests
#   make clean      remove build outputs (lwIP's fetched sources in .deps/ stay)
#
# C and assembly are built with the Swift toolchain's own clang and ld.lld; Swift
# for the kernel with its Embedded Swift target. No GNU cross compiler is needed.

CPUS ?= 3
# The host port forwarded to the guest's port 80. Derived from the user id so two
# users on one machine don't collide (as the JOS lab did); override with FWDPORT=.
FWDPORT ?= $(shell expr `id -u` % 5000 + 25080)
# Where QEMU records every frame of the guest's NIC (open it in Wireshark).
PCAP ?= pcap/en0.pcap
# NET=user (QEMU's user network, the default) or NET=tap TAP=ifname (test beds).
NET ?= user
TAP ?= tap0
# SNAPSHOT=1 boots with the disk's writes discarded at exit (used by the tests).
SNAPSHOT ?= 0

BUILD := build
SHELL := /bin/bash
comma := ,

TOOLBIN ?= $(or $(dir $(shell command -v swiftc 2>/dev/null)),/opt/swift/usr/bin/)
CLANG := $(TOOLBIN)clang
LD := $(TOOLBIN)ld.lld
OBJDUMP := $(TOOLBIN)llvm-objdump
SWIFTC := $(TOOLBIN)swiftc
HOSTCC ?= cc
RESDIR := $(shell $(CLANG) -print-resource-dir)

RVFLAGS := --target=riscv64-unknown-elf -march=rv64imac -mabi=lp64 -mcmodel=medany
CFLAGS := $(RVFLAGS) -ffreestanding -fno-builtin -nostdlib -nostdinc \
          -isystem $(RESDIR)/include -Wall -Werror -O2 -fno-omit-frame-pointer \
          -ggdb -gdwarf-4 -fno-common -fno-pie -MD -MP
KCFLAGS := $(CFLAGS) -I Kernel -I CShims/include
UCFLAGS := $(CFLAGS) -I User/include
LDFLAGS := -z max-page-size=4096

.PHONY: all qemu qemu-gdb test test-unit test-integration clean setup-qemu setup-test bench
all: $(BUILD)/kernel $(BUILD)/fs.img

# ---------------------------------------------------------------- kernel (C, asm)
KERNEL_C := $(wildcard Kernel/*.c)
KERNEL_S := $(filter-out Kernel/entry.S,$(wildcard Kernel/*.S))
KERNEL_OBJS := $(BUILD)/kernel/entry.o \
               $(patsubst Kernel/%.S,$(BUILD)/kernel/%.o,$(KERNEL_S)) \
               $(patsubst Kernel/%.c,$(BUILD)/kernel/%.o,$(KERNEL_C))

$(BUILD)/kernel/%.o: Kernel/%.c
	@mkdir -p $(@D)
	$(CLANG) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: Kernel/%.S
	@mkdir -p $(@D)
	$(CLANG) $(KCFLAGS) -c $< -o $@

# --- swift: begin
# Swift modules that run in the kernel, in dependency order, and the CShims C files.
SWIFT_MODULES := VirtIO
SWIFT_KERNEL_OBJS := $(patsubst %,$(BUILD)/swift/%.o,$(SWIFT_MODULES))
CSHIMS_KERNEL_C := $(filter-out CShims/kernel/lwip_%.c,$(wildcard CShims/kernel/*.c))
CSHIMS_KERNEL_OBJS := $(patsubst CShims/kernel/%.c,$(BUILD)/cshims/%.o,$(CSHIMS_KERNEL_C))
# --- swift: end

# --- lwip: begin
LWIP_DIR := .deps/lwip-2.1.3
LWIP_OBJS :=
# --- lwip: end

$(BUILD)/kernel: $(KERNEL_OBJS) $(CSHIMS_KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS) Kernel/kernel.ld
	$(LD) $(LDFLAGS) -T Kernel/kernel.ld --gc-sections -o $@ \
	    $(KERNEL_OBJS) $(CSHIMS_KERNEL_OBJS) $(SWIFT_KERNEL_OBJS) $(LWIP_OBJS)
	$(OBJDUMP) -S $@ > $(BUILD)/kernel.asm 2>/dev/null || true

# ---------------------------------------------------------------- user space
ULIB_SRC := $(wildcard User/lib/*.c) $(wildcard User/lib/*.S)
ULIB_OBJS := $(patsubst User/lib/%,$(BUILD)/user/lib/%.o,$(basename $(ULIB_SRC)))
UPROG_NAMES := $(basename $(notdir $(wildcard User/*.c)))
UPROGS := $(patsubst %,$(BUILD)/user/_%,$(UPROG_NAMES))

$(BUILD)/user/lib/%.o: User/lib/%.c
	@mkdir -p $(@D)
	$(CLANG) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/lib/%.o: User/lib/%.S
	@mkdir -p $(@D)
	$(CLANG) $(UCFLAGS) -I Kernel -c $< -o $@

$(BUILD)/user/%.o: User/%.c
	@mkdir -p $(@D)
	$(CLANG) $(UCFLAGS) -c $< -o $@

$(BUILD)/user/_%: $(BUILD)/user/%.o $(ULIB_OBJS) User/user.ld
	$(LD) $(LDFLAGS) -T User/user.ld -o $@ $< $(ULIB_OBJS)

# ---------------------------------------------------------------- file system image
$(BUILD)/mkfs: tools/mkfs.c Kernel/fs.h Kernel/param.h
	@mkdir -p $(@D)
	$(HOSTCC) -Werror -Wall -O2 -I Kernel -o $@ tools/mkfs.c

# The web site httpd serves: the committed pages plus generated binary files.
WWW_FILES := $(wildcard www/*)
$(BUILD)/www/big.bin: tools/genfile.py
	@mkdir -p $(@D)
	python3 tools/genfile.py $@ 1048576

FS_CONTENTS := README.md $(UPROGS) $(WWW_FILES) $(BUILD)/www/big.bin
FS_ARGS := README.md $(UPROGS) $(foreach f,$(WWW_FILES),$(f)=$(f)) www/big.bin=$(BUILD)/www/big.bin

$(BUILD)/fs.img: $(BUILD)/mkfs $(FS_CONTENTS)
	$(BUILD)/mkfs $@ $(FS_ARGS)

-include $(BUILD)/kernel/*.d $(BUILD)/user/*.d $(BUILD)/user/lib/*.d $(BUILD)/cshims/*.d

# ---------------------------------------------------------------- running it
QEMU := qemu-system-riscv64
QEMUOPTS := -machine virt -bios none -kernel $(BUILD)/kernel -m 128M -smp $(CPUS) -nographic
QEMUOPTS += -global virtio-mmio.force-legacy=false
QEMUOPTS += -drive file=$(BUILD)/fs.img,if=none,format=raw,id=x0$(if $(filter 1,$(SNAPSHOT)),$(comma)snapshot=on)
QEMUOPTS += -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
ifeq ($(NET),tap)
QEMUOPTS += -netdev tap,id=net0,ifname=$(TAP),script=no,downscript=no
else
QEMUOPTS += -netdev user,id=net0,hostfwd=tcp::$(FWDPORT)-:80
endif
QEMUOPTS += -object filter-dump,id=net0dump,netdev=net0,file=$(PCAP)
QEMUOPTS += -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.1

setup-qemu:
	@tools/setup.sh qemu

setup-test:
	@tools/setup.sh test

qemu: setup-qemu all
	@mkdir -p $(dir $(PCAP))
	@echo "qemu: $(CPUS) harts; guest port 80 is forwarded from host port $(FWDPORT) (http://localhost:$(FWDPORT)/); frames are captured in $(PCAP); quit with poweroff or Ctrl-a x"
	$(QEMU) $(QEMUOPTS)

qemu-gdb: setup-qemu all
	@mkdir -p $(dir $(PCAP))
	$(eval GDBPORT := $(shell python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'))
	@echo "qemu: waiting for gdb: run 'gdb-multiarch $(BUILD)/kernel -ex \"target remote :$(GDBPORT)\"'"
	$(QEMU) $(QEMUOPTS) -S -gdb tcp::$(GDBPORT)

# ---------------------------------------------------------------- tests
test: setup-test all
	@echo "== host unit tests (swift test)"
	swift test
	@echo "== QEMU integration tests"
	python3 Tests/integration/run.py

test-unit:
	swift test

test-integration: setup-test all
	python3 Tests/integration/run.py $(T)

clean:
	rm -rf $(BUILD) pcap/*.pcap
