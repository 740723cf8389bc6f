from odoo import models

ACTIVITY_CHANNELS = {
    "mail.mail_activity_data_call": "phone",
    "credit_collection.mail_activity_type_collection_visit": "visit",
}


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A call or visit on a collection case done: write it into the collection ledger."""
        self._log_collection_contacts(feedback)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _log_collection_contacts(self, feedback):
        channels = {}
        for xmlid, channel in ACTIVITY_CHANNELS.items():
            activity_type = self.env.ref(xmlid, raise_if_not_found=False)
            if activity_type:
                channels[activity_type.id] = channel
        vals_list = [
            {
                "case_id": activity.res_id,
                "channel": channels[activity.activity_type_id.id],
                "user_id": activity.user_id.id or self.env.uid,
                "result": "reached",
                "customer_words": feedback or activity.summary,
            }
            for activity in self
            if activity.res_model == "collection.case" and activity.activity_type_id.id in channels
        ]
        if vals_list:
            self.env["collection.log"].sudo().create(vals_list)
