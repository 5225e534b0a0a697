// swift-tools-version:6.0
// Host build of the kernel's Swift modules, for `swift test`: the same Swift
// sources as the kernel build (see the Makefile's swift section), over the
// host variant of CShims (CShims/host instead of CShims/kernel).
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
      exclude: ["kernel"],
      sources: ["host"],
      publicHeadersPath: "include"
    ),
    .target(
      name: "VirtIO",
      dependencies: ["CShims"],
      path: "Sources/VirtIO"
    ),
    .testTarget(
      name: "VirtIOTests",
      dependencies: ["VirtIO", "CShims"],
      path: "Tests/VirtIOTests"
    ),
  ]
)
