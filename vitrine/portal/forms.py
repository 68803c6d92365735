"""Forms readers fill in outside the page tree."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class ReaderSignInForm(AuthenticationForm):
    """Django's sign-in form, with messages that name the field they are about."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Username or password is not right. Both fields are case-sensitive; "
            "check the caps lock key."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Please enter your username.")
        self.fields["password"].error_messages["required"] = _("Please enter your password.")
