"""The SpiffWorkflow wrapper: safe loading, sandboxed scripts, versioned specs, instances, timers, messages."""
