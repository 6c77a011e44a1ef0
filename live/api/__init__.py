"""Live sessions over the API: the caller's upcoming sessions, and joining one."""
