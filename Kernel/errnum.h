#include "abi/errnum.h"  // one definition, shared with Swift: CShims/include/abi/
