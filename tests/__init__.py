from . import test_credit_aging, test_credit_hold, test_customer_statement
