// Test-only controls of the host variant of the kernel services
// (CShims/host/kshim_host.c). Declared in the kernel build too, never defined
// there: only host tests call them.
#pragma once

// Run hook, with the lock released, whenever kshim_sleep is called;
// 0 restores the condition-variable sleep.
void kshim_host_set_sleep_hook(void (*hook)(void));
