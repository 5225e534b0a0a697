#!/usr/bin/env python3
"""Runs the QEMU integration tests: every test_* function of every test_*.py here.

  python3 Tests/integration/run.py [--nic virtio|e1000] [substring ...]

runs the tests whose name (or module's name) contains any of the substrings (NAME$:
exactly that test), all of them if none is given, with every guest on the given NIC (default virtio).

A failing test prints its reason, the guest console's tail and its capture's path.
The last line is the summary `integration: N passed, N failed, N skipped`."""
import importlib.util, glob, os, sys, time, traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import guest  # noqa: E402

os.chdir(guest.ROOT)
args = sys.argv[1:]
if args[:1] == ["--nic"] and len(args) > 1:
    guest.NIC = args[1]
    args = args[2:]
    if guest.NIC not in guest.NIC_DEVICES:
        sys.exit("run.py: --nic %s: use one of %s" % (guest.NIC, ", ".join(guest.NIC_DEVICES)))
wants = args or [""]
label = "" if guest.NIC == "virtio" else " [%s]" % guest.NIC
passed = failed = skipped = 0
for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name in [n for n in dir(mod) if n.startswith("test_")]:
        fn = getattr(mod, name)
        if not any(name == w[:-1] if w.endswith("$") else (w in name or w in mod.__name__)
                   for w in wants):
            continue
        t0 = time.monotonic()
        try:
            note = fn()
            passed += 1
            print("PASS %s%s (%.1f s)%s" % (name, label, time.monotonic() - t0, " " + note if note else ""), flush=True)
        except guest.Skip as e:
            skipped += 1
            print("SKIP %s%s: %s" % (name, label, e), flush=True)
        except Exception as e:  # a test failed: say why, with the guest's side of it
            failed += 1
            print("FAIL %s%s (%.1f s): %s" % (name, label, time.monotonic() - t0, e), flush=True)
            g = getattr(e, "guest", None)
            if g is not None:
                print("  capture: %s\n  console tail:\n    %s" % (
                    g.pcap, g.tail().replace("\n", "\n    ")), flush=True)
            if getattr(e, "fsck", None):
                print("  " + e.fsck, flush=True)
            if not isinstance(e, guest.TestFailure):
                traceback.print_exc()
print("integration%s: %d passed, %d failed, %d skipped" % (label, passed, failed, skipped))
sys.exit(1 if failed else 0)
