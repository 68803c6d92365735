"""gunicorn's access log without the reader: no address, no agent, no line for an answer.

An access log with client addresses and times, lined up with the order in which survey
answers are stored, names who answered what. So the log never holds a client address, a
user agent, a referrer or a forwarded-for header, whatever format an operator configures,
and a request that a view marks (`UNLOGGED` in its WSGI environ, which Django hands on as
`request.META`) writes no line at all. Survey pages mark every request, reading and answering.
"""

from __future__ import annotations

from collections.abc import Mapping

from gunicorn.glogging import Logger

UNLOGGED = "vitrine.unlogged"
# What the log line may hold: time, request line, status, size, duration.
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'
_REDACTED = ("h", "u", "a", "f")


def unlogged(environ: Mapping) -> bool:
    """True when the request asked to be left out of the access log."""
    return bool(environ.get(UNLOGGED))


class AccessLogger(Logger):
    """gunicorn's logger, minus the reader."""

    def access(self, resp, req, environ, request_time) -> None:
        if unlogged(environ):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _REDACTED:
            atoms[key] = "-"
        for key in list(atoms):
            if key.startswith("{") and key.endswith("}i") and "forwarded" in key:
                atoms[key] = "-"
            elif (
                key.startswith("{")
                and key.endswith("}e")
                and key[1:-2].upper()
                in (
                    "REMOTE_ADDR",
                    "HTTP_X_FORWARDED_FOR",
                    "HTTP_X_REAL_IP",
                    "HTTP_FORWARDED",
                    "HTTP_USER_AGENT",
                )
            ):
                atoms[key] = "-"
        return atoms
