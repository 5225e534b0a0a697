// swift-tools-version:6.0
// Host build of the kernel's Swift modules, for `swift test`: the same Swift
// sources as the kernel build (see the Makefile's swift section), over the
// host variant of CShims (CShims/host; the kernel's is Kernel/kshim.c).
import PackageDescription

let package = Package(
  name: "RiscvKernelSwift",
  products: [
    .library(name: "VirtIO", targets: ["VirtIO"])
  ],
  targets: [
    .target(
      name: "CShims",
      path: "CShims",
      sources: ["host"],
      publicHeadersPath: "include"
    ),
    // What every driver shares: DMA memory, kernel locks, MAC and link counters.
    .target(
      name: "Device",
      dependencies: ["CShims"],
      path: "Sources/Drivers/Device"
    ),
    .target(
      name: "VirtIO",
      dependencies: ["CShims", "Device"],
      path: "Sources/Drivers/VirtIO"
    ),
    // PCI bus 0: configuration space (ECAM), enumeration, BARs, INTx.
    .target(
      name: "PCI",
      dependencies: ["CShims"],
      path: "Sources/Drivers/PCI"
    ),
    .target(
      name: "E1000",
      dependencies: ["CShims", "Device", "PCI"],
      path: "Sources/Drivers/E1000"
    ),
    .target(
      name: "Sockets",
      dependencies: ["CShims"],
      path: "Sources/Sockets"
    ),
    // lwIP under the socket layer on the host: Debian's liblwip-dev and the
    // shim (Net/lwip_sock.c, Net/lwip_sock_dgram.c) built against it.
    .target(
      name: "SocketsHost",
      dependencies: ["CShims"],
      path: "Tests/SocketsHost",
      cSettings: [.unsafeFlags(["-I/usr/include/lwip"])],
      linkerSettings: [.linkedLibrary("lwip")]
    ),
    .testTarget(
      name: "SocketsTests",
      dependencies: ["Sockets", "SocketsHost", "CShims"],
      path: "Tests/SocketsTests"
    ),
    // The kernel's netif glue (Net/lwip_netif.c) over the same host
    // lwIP, for the malformed-frame test (driver -> glue -> lwIP).
    .target(
      name: "NetInputHost",
      dependencies: ["CShims", "SocketsHost"],
      path: "Tests/NetInputHost",
      cSettings: [.unsafeFlags(["-I/usr/include/lwip"])],
      linkerSettings: [.linkedLibrary("lwip")]
    ),
    // What the driver tests share (TestDMA).
    .target(
      name: "DriverTestSupport",
      dependencies: ["Device", "CShims"],
      path: "Tests/DriverTestSupport"
    ),
    .testTarget(
      name: "VirtIOTests",
      dependencies: ["VirtIO", "Device", "CShims", "NetInputHost", "DriverTestSupport"],
      path: "Tests/VirtIOTests"
    ),
    .testTarget(
      name: "PCITests",
      dependencies: ["PCI", "CShims"],
      path: "Tests/PCITests"
    ),
    .testTarget(
      name: "E1000Tests",
      dependencies: ["E1000", "Device", "CShims", "DriverTestSupport"],
      path: "Tests/E1000Tests"
    ),
  ]
)
