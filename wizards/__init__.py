from . import credit_aging_wizard, credit_statement_wizard
