from . import (
    credit_grade,
    credit_guarantee,
    credit_review,
    credit_review_line,
    credit_scorecard,
    credit_scorecard_band,
    credit_scorecard_factor,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    scoring,
)
