from odoo import api, models
from odoo.exceptions import UserError

from ..tools import aging_buckets, analysis_params


class CreditAnalysisMixin(models.AbstractModel):
    """What the on-screen analyses computed where they are read share (the aging and KPI
    rows, query models): the parameters the browser sends back with every read, checked
    before anything reaches SQL, and refused with a message that says where to start
    again."""

    _name = "credit.analysis.mixin"
    _description = "On-screen analysis read from its parameters"

    # the context key holding the parameters, the analysis's name and its menu (``_lt``)
    _analysis_param_key = None
    _analysis_name = None
    _analysis_menu = None

    @api.model
    def _read_analysis_params(self, parsers):
        """``{key: checked value}`` of the analysis the context names, each value through
        its parser (``tools/analysis_params``), ``None`` when the context names none."""
        params = self.env.context.get(self._analysis_param_key)
        if params is None:
            return None
        try:
            return analysis_params.read_params(self._analysis_param_key, params, parsers)
        except analysis_params.BadParameter as error:
            raise UserError(
                self.env._(
                    "The %(analysis)s cannot read its parameter %(name)s (“%(value)s”): open "
                    "it again from %(menu)s.",
                    analysis=self._analysis_name,
                    menu=self._analysis_menu,
                    name=error.name,
                    value=aging_buckets.excerpt(error.value),
                )
            ) from None
