#include "abi/sockabi.h"  // one definition, shared with Swift: CShims/include/abi/
