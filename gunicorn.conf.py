"""gunicorn reads this file from the working directory: the access log goes out masked."""

logger_class = "bott_tracker.log_filters.MaskingGunicornLogger"
