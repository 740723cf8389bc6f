from . import (
    test_collection_case,
    test_collection_concurrency,
    test_collection_dunning,
    test_collection_tour,
    test_credit_hold,
)
