"""Trigram similarity for the portal search's typo fallback, on PostgreSQL only.

pg_trgm is a trusted extension: the owner of the database may create it. Where the
database user lacks even that right, the migration leaves a warning and the search
falls back to comparing words in Python (see vitrine.portal.search).
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def enable_trigram(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "pg_trgm could not be enabled (%s); the search corrects typos without it. "
            "A database administrator can run: CREATE EXTENSION pg_trgm;",
            error,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_freigabe_workflow"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(enable_trigram, migrations.RunPython.noop)]
