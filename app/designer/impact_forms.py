"""The "Impact over time" page's GET form: whether, and how, to split the figures by group."""

from __future__ import annotations

from wtforms.validators import Optional

from app.designer.forms import grouping_choices
from app.forms_base import BaseForm, SelectOne


class ImpactForm(BaseForm):
    class Meta:
        csrf = False

    by = SelectOne(
        "Split the figures by",
        choices=grouping_choices(blank="Do not split"),
        what="a grouping",
        validators=[Optional()],
    )
