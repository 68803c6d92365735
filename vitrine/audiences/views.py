"""The reader's profile page: "Ich bin …"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import AudienceChoiceForm
from .selectors import audiences_for_user
from .services import reader_audiences_choose, reader_profile_get_or_create


@login_required
def profile(request):
    reader = reader_profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = AudienceChoiceForm(request.POST)
        if form.is_valid():
            reader_audiences_choose(user=request.user, audiences=form.cleaned_data["audiences"])
            messages.success(
                request, _("Your choice is saved. The portal now shows what is written for you.")
            )
            return redirect("audiences:profile")
    else:
        form = AudienceChoiceForm(initial={"audiences": list(reader.chosen_audiences.all())})
    return render(
        request,
        "audiences/profile.html",
        {
            "form": form,
            "assigned": reader.assigned_audiences.all(),
            "from_groups": [
                a
                for a in audiences_for_user(request.user)
                if a.groups.filter(user=request.user).exists()
            ],
        },
    )
