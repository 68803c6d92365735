"""Search index declarations shared by the models the portal search covers."""

from wagtail.search import index


def words(*field_names: str) -> list:
    """Index fields for whole words (stemmed on PostgreSQL) and for word beginnings.

    The autocomplete part lets "Bild" find "Bildbearbeitung" and "genehmig" find
    "Genehmigung": German readers type the first part of a compound.
    """
    return [
        field
        for name in field_names
        for field in (index.SearchField(name), index.AutocompleteField(name))
    ]
