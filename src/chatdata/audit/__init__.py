"""The audit log: who did what to which object, from where, never with secrets."""
