"""Template plugin: a loyalty discount, in Python (componentize-py).

The tenant's configuration gives the percentage: {"percent": "3"}. For every line of the quote
with a positive amount, the plugin adds a `loyalty_discount` line of `-percent %` of that amount,
in the line's VAT category and rate: quantity `-3`, unit price the amount, base quantity `100`,
unit `%`. The host computes and rounds the amounts and VAT, as for any line. A quote that already
has a `loyalty_discount` line is left alone.

The Rust and JavaScript templates do the same and pass the same `cases.yaml`.
"""

import json
from decimal import Decimal, InvalidOperation

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import host
from wit_world.imports.types import (
    Adjustment,
    Hook,
    Label,
    LineChange_Add,
    NewLine,
    PluginError,
    PluginInfo,
)

CODE = "loyalty_discount"


def invalid(detail: str) -> Err:
    return Err(
        PluginError(
            "config.invalid",
            Label(
                f"Configuration de la remise de fidélité non valide : {detail}",
                f"Ongeldige configuratie van de getrouwheidskorting: {detail}",
                f"Invalid loyalty discount configuration: {detail}",
            ),
        )
    )


def percent() -> str:
    """The percentage the configuration gives, checked to be decimal text in (0, 100]."""
    try:
        config = json.loads(host.config())
    except ValueError as e:
        raise invalid(str(e))
    if not isinstance(config, dict) or set(config) != {"percent"}:
        raise invalid("give exactly one key, `percent`")
    text = str(config["percent"]).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not 0 < value <= 100 or not text.replace(".", "", 1).isdigit():
        raise invalid(f"percent `{text}` is not a number between 0 and 100")
    return text


class Guest(exports.Guest):
    def describe(self) -> PluginInfo:
        return PluginInfo(
            "loyalty-discount",
            "0.1.0",
            [Hook.ADJUST_QUOTE],
            Label(
                "Accorde une remise de fidélité sur chaque ligne du devis.",
                "Geeft een getrouwheidskorting op elke lijn van de offerte.",
                "Grants a loyalty discount on every line of the quote.",
            ),
        )

    def adjust_quote(self, quote):
        pct = percent()
        if any(line.code == CODE for line in quote.lines):
            host.log(host.Level.DEBUG, "the quote already has a loyalty discount", [])
            return []
        reason = Label(
            f"Remise de fidélité de {pct} %.",
            f"Getrouwheidskorting van {pct} %.",
            f"Loyalty discount of {pct} %.",
        )
        return [
            Adjustment(
                LineChange_Add(
                    NewLine(
                        CODE,
                        Label(
                            f"Remise de fidélité ({pct} %) : {line.label.fr}",
                            f"Getrouwheidskorting ({pct} %): {line.label.nl}",
                            f"Loyalty discount ({pct} %): {line.label.en}",
                        ),
                        f"-{pct}",
                        line.amount,
                        "100",
                        "%",
                        line.vat_category,
                        line.vat_rate,
                    )
                ),
                reason,
            )
            for line in quote.lines
            if Decimal(line.amount) > 0
        ]

    def lint_model(self, model):
        return []

    def dashboard_figures(self, dashboard):
        return []
