from . import (
    test_credit_approval,
    test_credit_check,
    test_credit_concurrency,
    test_credit_exposure,
    test_credit_hold,
)
from . import test_credit_aging, test_credit_hold, test_customer_statement
