"""Portal models: pages, snippets and site settings."""

from .design import CorporateDesign
from .pages import (
    HomePage,
    InfoBlockPage,
    LifecyclePage,
    LifecycleStage,
    NewsIndexPage,
    NewsPage,
)
from .review import ReviewConfirmation, ReviewReminder
from .snippets import Contact, NewsFlash

__all__ = [
    "Contact",
    "CorporateDesign",
    "HomePage",
    "InfoBlockPage",
    "LifecyclePage",
    "LifecycleStage",
    "NewsFlash",
    "NewsIndexPage",
    "NewsPage",
    "ReviewConfirmation",
    "ReviewReminder",
]
