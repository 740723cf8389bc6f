from . import collection_log_wizard
