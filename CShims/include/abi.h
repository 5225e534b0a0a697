// abi.h: the kernel's ABI numbers for Swift, from their one definition in
// Kernel/ (Linux's values): errno (errnum.h), the socket constants
// (sockabi.h) and poll's bits (poll.h). Kernel C, both user worlds and the
// Swift socket layer all read these files.
#pragma once
#include "../../Kernel/errnum.h"
#include "../../Kernel/sockabi.h"
#include "../../Kernel/poll.h"
