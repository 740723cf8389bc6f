from . import test_credit_check, test_credit_exposure, test_credit_hold
