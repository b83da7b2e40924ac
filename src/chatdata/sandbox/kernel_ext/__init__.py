"""Code that runs inside sandbox kernels; this directory is mounted read-only there."""
