"""Long-running tasks: API, runners (in-process or Celery) and the task registry."""
