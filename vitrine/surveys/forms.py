"""The reader's survey form, built from the survey's questions.

Every error names its question; the view shows them in an error summary linked to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import FREE_TEXT_MAX_LENGTH, OTHER_TEXT_MAX_LENGTH, QuestionKind
from .models import SurveyPage, SurveyQuestion

OTHER = "__other__"


def _key(question: SurveyQuestion) -> str:
    # Unsaved questions (the editor's preview) have no key yet.
    return str(question.pk) if question.pk else f"new{id(question)}"


def field_name(question: SurveyQuestion) -> str:
    return f"q{_key(question)}"


def other_name(question: SurveyQuestion) -> str:
    return f"q{_key(question)}_other"


@dataclass(frozen=True)
class Cleaned:
    """One question's cleaned answer: the values to store and the free text."""

    question: SurveyQuestion
    values: tuple[str, ...] = ()
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.values and not self.text


class SurveyForm(forms.Form):
    """The questions of `survey` as fields; `answers()` gives what to store."""

    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=120, required=False)
    contact_email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"), max_length=254, required=False
    )

    def __init__(self, survey: SurveyPage, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = survey.ordered_questions
        if not survey.allow_contact:
            del self.fields["contact_name"]
            del self.fields["contact_email"]
        for question in self.questions:
            self.fields[field_name(question)] = self._field(question)
            if question.is_choice and question.allow_other:
                self.fields[other_name(question)] = forms.CharField(
                    label=_("Other, namely"),
                    required=False,
                    max_length=OTHER_TEXT_MAX_LENGTH,
                    strip=True,
                )

    def _field(self, question: SurveyQuestion) -> forms.Field:
        messages = {
            "required": _("Please answer “%(question)s”.") % {"question": question.text},
            "invalid_choice": _("“%(question)s”: please choose one of the offered answers.")
            % {"question": question.text},
            "invalid_list": _("“%(question)s”: please choose from the offered answers.")
            % {"question": question.text},
        }
        common = {"label": question.text, "required": False, "error_messages": messages}
        if question.scale:
            low, high = question.scale
            choices = [(str(v), str(v)) for v in range(low, high + 1)]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if question.is_choice:
            choices = [(o, o) for o in question.option_list]
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            if question.kind == QuestionKind.MULTIPLE:
                return forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        messages["max_length"] = _(
            "“%(question)s”: please write at most %(max)d characters (you wrote %(length)d)."
        )
        return _LongTextField(
            max_length=FREE_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), **common
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = field_name(question)
            if name in self.errors:
                continue
            if question.required and self._answer(question).is_empty:
                self.add_error(
                    name, _("Please answer “%(question)s”.") % {"question": question.text}
                )
            if question.is_choice and question.allow_other:
                chosen = self._chosen(question)
                other = cleaned.get(other_name(question), "")
                if OTHER in chosen and not other:
                    self.add_error(
                        other_name(question),
                        _("“%(question)s”: please say what “other” means.")
                        % {"question": question.text},
                    )
                if other and OTHER not in chosen:
                    self.add_error(
                        other_name(question),
                        _("“%(question)s”: tick “Other” to give your own answer.")
                        % {"question": question.text},
                    )
        self._clean_contact(cleaned)
        return cleaned

    def _clean_contact(self, cleaned) -> None:
        if not self.survey.allow_contact:
            return
        name, email = cleaned.get("contact_name", ""), cleaned.get("contact_email", "")
        if "contact_email" in self.errors:
            return
        if name and not email:
            self.add_error("contact_email", _("Please give an e-mail address to be contacted."))
        if email and not name:
            self.add_error("contact_name", _("Please give your name to be contacted."))

    def _chosen(self, question: SurveyQuestion) -> list[str]:
        value = self.cleaned_data.get(field_name(question))
        if not value:
            return []
        return list(value) if isinstance(value, list) else [value]

    def _answer(self, question: SurveyQuestion) -> Cleaned:
        raw = self.cleaned_data.get(field_name(question))
        if question.kind == QuestionKind.TEXT:
            return Cleaned(question=question, text=(raw or "").strip())
        chosen = self._chosen(question)
        values = tuple(v for v in chosen if v != OTHER)
        text = self.cleaned_data.get(other_name(question), "") if OTHER in chosen else ""
        return Cleaned(question=question, values=values, text=text)

    def answers(self) -> list[Cleaned]:
        """What to store, question by question, without unanswered optional questions."""
        return [a for a in (self._answer(q) for q in self.questions) if not a.is_empty]

    def contact(self) -> tuple[str, str] | None:
        if not self.survey.allow_contact:
            return None
        name = self.cleaned_data.get("contact_name", "")
        email = self.cleaned_data.get("contact_email", "")
        return (name, email) if name and email else None

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) of every error, in the order of the form."""
        found = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                found.append((self[name].auto_id or name, message))
        found.extend(("", message) for message in self.non_field_errors())
        return found


class _LongTextField(forms.CharField):
    """A text field whose "too long" message names the question and the length."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=None, strip=True, **kwargs)
        self.limit = max_length
        self.widget.attrs["maxlength"] = str(max_length)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(
                self.error_messages["max_length"]
                % {"question": self.label, "max": self.limit, "length": len(value)}
            )
