from . import aging_buckets, credit_aging_line, credit_aging_query, res_partner, sale_order
from . import report_customer_statement
