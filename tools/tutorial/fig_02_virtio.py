"""Chapter 2's figures: the virtio-mmio registers (from the driver's own table) and
the virtio-net driver's counters after the boot scenario."""
import os, re

from figures import figure, table, fenced, FigureError
from scenarios import ROOT

# Who writes each register (virtio 1.2 §4.2.2, Table "MMIO Device Register Layout").
# Keyed by the driver's case name; a register the driver adds later shows up with "?".
WHO = {
    "magicValue": "device (R): 0x74726976, \"virt\"",
    "version": "device (R): 2 for a modern device",
    "deviceID": "device (R): 1 net, 2 block, 4 entropy",
    "vendorID": "device (R)",
    "deviceFeatures": "device (R): 32 feature bits, the word DeviceFeaturesSel picks",
    "deviceFeaturesSel": "driver (W)",
    "driverFeatures": "driver (W): the bits it accepts, the word DriverFeaturesSel picks",
    "driverFeaturesSel": "driver (W)",
    "queueSel": "driver (W): the queue the Queue* registers act on",
    "queueNumMax": "device (R): largest queue size it allows",
    "queueNum": "driver (W): the size chosen",
    "queueReady": "driver (W) 1 when the queue is set up; (R) back",
    "queueNotify": "driver (W): \"queue N has new buffers\"",
    "interruptStatus": "device (R): bit 0 used buffers, bit 1 config change",
    "interruptACK": "driver (W): the bits handled",
    "status": "both: the handshake's status bits (§2.1); 0 resets",
    "queueDescLow": "driver (W): descriptor table address",
    "queueDescHigh": "driver (W)",
    "queueDriverLow": "driver (W): available ring address",
    "queueDriverHigh": "driver (W)",
    "queueDeviceLow": "driver (W): used ring address",
    "queueDeviceHigh": "driver (W)",
    "configGeneration": "device (R): changes when config changes",
    "config": "device-specific config (net: the MAC at +0)",
}


@figure("virtio_registers", shape="exact")
def virtio_registers():
    """enum MMIORegister of MMIOTransport.swift, as a table."""
    path = "Sources/Drivers/VirtIO/MMIOTransport.swift"
    rows = []
    for line in open(os.path.join(ROOT, path)):
        m = re.match(r"\s*case (\w+) = (0x[0-9a-fA-F]+)", line)
        if m:
            rows.append(["0x%03x" % int(m.group(2), 16), "`.%s`" % m.group(1), WHO.get(m.group(1), "?")])
    if not rows:
        raise FigureError("no `case name = 0x...` lines in %s" % path)
    return table(["offset", "MMIORegister", "who writes it, and what"], rows)


@figure("virtio_counters", needs=["boot"])
def virtio_counters(boot):
    """ifconfig's device line and the driver's counters, after the boot scenario."""
    out = boot.output("ifconfig")
    keep = [l for l in out.split("\n")
            if re.match(r"en0:|\s+device |\s+RX packets|\s+TX packets", l)]
    if len(keep) != 4:
        raise FigureError("ifconfig: expected the en0, device, RX and TX lines, got %r" % keep)
    return fenced("$ ifconfig\n" + "\n".join(keep) + "\n        ...")
