"""Plain-Python helpers of the addon (no ORM): imported by the models and wizards using them."""

from . import (
    aging_buckets,
    analysis_params,
    cash_in_forecast,
    payment_prediction,
    receivable_kpis,
    scoring,
    xlsx_formats,
)
