"""Create the first administrator once, with a generated password shown on the console."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the 'admin' account once; its password is printed and stored nowhere else."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, username: str, email: str, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"The account '{username}' exists already; its password is unchanged."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        line = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"{line}\n  Administrator created\n  user:     {username}\n"
                f"  password: {password}\n  Note it now: it is shown only this once.\n{line}"
            )
        )
