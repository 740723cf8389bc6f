from . import credit_approval_refuse_wizard, credit_approval_request_wizard
from . import credit_aging_wizard, credit_statement_wizard
