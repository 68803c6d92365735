"""The REST API, version 1: figure series, snapshots and imports, for holders of API tokens.

Mounted at /api/v1/; the OpenAPI document is /api/v1/openapi.json, its docs /api/v1/docs.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from vitrine.surveys.api import router as surveys_router

from . import errors, imports, series
from .auth import TokenAuth

api = NinjaAPI(
    title="Vitrine API",
    version="1",
    description=_(
        "Figure series, their snapshots and imports. Send a personal API token as "
        "“Authorization: Bearer <token>”; editors create tokens in the admin under "
        "Settings → API tokens. Decimal values are strings, dates ISO 8601."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("", series.router)
api.add_router("", imports.router)
api.add_router("", surveys_router)
