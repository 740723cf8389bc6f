from . import test_credit_hold, test_credit_review
