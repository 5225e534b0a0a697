// The virtio entropy driver's functions for the kernel's C code (declared in
// CShims/include/drivers.h); Kernel/random.c is their caller. Answers go to
// the kernel's pool through random_add_entropy (CShims/include/entropy.h).
// Kernel only: the host tests drive VirtioRng directly over a fake device.
import CShims
import Device

#if hasFeature(Embedded)
  /// The entropy device; set once by virtio_rng_init on the boot hart,
  /// before its interrupt is routed, never changed after.
  nonisolated(unsafe) var entropyDevice: VirtioRng<MMIOTransport>? = nil

  /// How long boot waits for the device's first answer. QEMU's rng-random
  /// answers in well under a millisecond; a busy host may take longer.
  let bootWaitMs: UInt64 = 250

  func toPool(_ bytes: UnsafeRawPointer, _ count: Int) {
    random_add_entropy(bytes, UInt32(count))
  }

  /// Find the entropy device, bring it up and seed the pool from it (polling,
  /// for at most bootWaitMs). Returns its PLIC irq, or -1 if there is none.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @c @implementation public func virtio_rng_init() -> Int32 {
    guard let found = probeMMIO(.entropy) else { return -1 }
    let rng: VirtioRng<MMIOTransport>
    do throws(VirtioError) {
      rng = try VirtioRng.start(transport: found.transport, dma: PageDMA())
    } catch {
      print("virtio-rng: \(error.message)")
      return -1
    }
    entropyDevice = rng
    let deadline = kshim_uptime_ms() + bootWaitMs
    do throws(VirtioError) {
      let n = try rng.poll(deliver: toPool) { kshim_uptime_ms() > deadline }
      print("virtio-rng: irq \(found.irq), seeded with \(n) bytes")
    } catch .noAnswer {
      print("virtio-rng: irq \(found.irq), no answer within \(bootWaitMs) ms; seeding when it comes")
    } catch {
      print("virtio-rng: irq \(found.irq), \(error.message)")
    }
    return found.irq
  }

  /// Ask the device for fresh bytes (a reseed); the interrupt delivers them.
  /// Returns 1 if a request is out, 0 if there is no usable device.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @c @implementation public func virtio_rng_request() -> Int32 {
    guard let rng = entropyDevice else { return 0 }
    return rng.request() ? 1 : 0
  }

  // swift-format-ignore: AlwaysUseLowerCamelCase
  @c @implementation public func virtio_rng_intr() {
    guard let rng = entropyDevice else { return }
    do throws(VirtioError) {
      _ = try rng.handleInterrupt(deliver: toPool)
    } catch {
      print("virtio-rng: \(error.message); answer dropped")
    }
  }
#endif
