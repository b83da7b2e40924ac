"""Result cache: a DB table in embedded mode, Redis in scaled mode."""
