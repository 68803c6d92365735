"""gunicorn settings for `make serve`: an access log that cannot tell who answered what."""

from vitrine.accesslog import ACCESS_LOG_FORMAT

logger_class = "vitrine.accesslog.AccessLogger"
accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
