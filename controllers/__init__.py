from . import balance_confirmation
