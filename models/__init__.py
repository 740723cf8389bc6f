from . import (
    aging_buckets,
    credit_aging_line,
    credit_aging_query,
    report_customer_statement,
    res_partner,
    sale_order,
)
