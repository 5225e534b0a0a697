#include "abi/poll.h"  // one definition, shared with Swift: CShims/include/abi/
