from . import collection_log_wizard, collection_writeoff_wizard
