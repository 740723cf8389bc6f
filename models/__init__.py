from . import (
    account_move,
    credit_approval_request,
    credit_limit_increase,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
)
