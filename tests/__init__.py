from . import test_credit_aging, test_credit_hold
from . import test_customer_statement
