from . import (
    test_credit_approval,
    test_credit_check,
    test_credit_concurrency,
    test_credit_exposure,
    test_credit_hold,
)
