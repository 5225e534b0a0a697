// abi.h: the kernel's ABI numbers for Swift, from their one definition in
// CShims/include/abi/ (Linux's values): errno (errnum.h), the socket constants
// (sockabi.h) and poll's bits (poll.h). Kernel C (through Kernel/errnum.h etc.,
// which forward here), both user worlds and the Swift socket layer all read
// these files.
#pragma once
#include "abi/errnum.h"
#include "abi/sockabi.h"
#include "abi/poll.h"
