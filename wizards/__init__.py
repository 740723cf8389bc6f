from . import (
    collection_appraisal_wizard,
    collection_log_wizard,
    collection_writeoff_wizard,
    credit_aging_wizard,
    credit_approval_refuse_wizard,
    credit_approval_request_wizard,
    credit_cashin_export_wizard,
    credit_forecast_backtest_wizard,
    credit_statement_wizard,
)

# isort: split
from . import credit_kpi_wizard
