"""Operations: health checks (and later metrics)."""
