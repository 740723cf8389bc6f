from . import balance_confirmation, portal
