"""Forms of the import wizard: the upload and the column mapping."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kliento.clients.imports import fields
from kliento.clients.imports.parsing import ENCODINGS
from kliento.clients.models import ImportJob
from kliento.core.forms import StyledForm, style_widgets

EXTENSIONS = {".csv", ".txt", ".tsv", ".xlsx"}


def too_large_message() -> str:
    return str(
        _("The file is larger than the %(limit)s allowed; split it into smaller files.")
        % {"limit": filesizeformat(settings.KLIENTO_MAX_UPLOAD_BYTES)}
    )


class UploadForm(StyledForm):
    target = forms.ChoiceField(
        label=_("What does the file hold?"),
        choices=ImportJob.Target.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.Target.CLIENTS,
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8, any common delimiter) or Excel XLSX.")
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        choices=[(code, name) for code, name in ENCODINGS.items()],
        initial="utf-8",
        help_text=_("Keep UTF-8 unless the file was saved by an old program in a legacy encoding."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KLIENTO_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class MappingForm(StyledForm):
    """One choice per column of the file: the field it fills, or nothing."""

    def __init__(
        self, *args, headers: list[str], target: str, initial_mapping: dict[str, str], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.target = target
        choices = [("", _("— skip this column —"))]
        choices += [
            (spec.key, f"{spec.label} *" if spec.required else spec.label)
            for spec in fields.fields_for(target)
        ]
        for position, header in enumerate(headers):
            if not header:
                continue
            self.fields[f"col_{position}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )
        style_widgets(self)  # the fields were added after StyledForm styled the static ones

    @property
    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"col_{position}", "")
            for position, header in enumerate(self.headers)
            if header
        }

    def clean(self):
        cleaned = super().clean()
        for problem in fields.mapping_problems(self.mapping, self.target):
            self.add_error(None, problem)
        return cleaned
