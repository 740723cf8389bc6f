from . import controllers, models, wizards


def _post_init_hook(env):
    """Photograph the past month ends soon after install, in a cron worker rather than in
    the install's transaction (a large ledger takes minutes)."""
    env.ref("credit_collection.ir_cron_credit_receivable_snapshot")._trigger()
