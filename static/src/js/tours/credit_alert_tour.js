import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

/**
 * A credit manager reads the early warnings (风险预警), opens the one about a customer above
 * its credit limit, puts the customer on hold from it, and finds the customer held.
 * Exported so that a longer story (from the cash-in forecast) can end with them.
 */
export function holdCustomerFromWarning() {
    return [
        ...openMenuItem(
            "credit_collection.menu_collections_root",
            "credit_collection.menu_credit_alerts",
            "Early Warnings"
        ),
        {
            content: "Open the warning about the customer above its limit",
            trigger:
                ".o_list_view .o_data_row:has(td[name='rule_id']:contains(Exposure above the credit limit)) td[name='partner_id']:contains(Acme Trading Co.)",
            run: "click",
        },
        {
            content: "The warning shows its figures",
            trigger: ".o_form_view div[name='summary']:contains(of the credit limit)",
        },
        {
            content: "Put the customer on hold",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_credit_hold']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The warning says the customer is on hold",
            trigger: ".o_form_view .ribbon:contains(On Hold)",
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view button[name='action_open_customer']",
            run: "click",
        },
        {
            content: "The customer's form says it is on hold",
            trigger: ".o_form_view .alert-danger:contains(Credit hold:)",
        },
    ];
}

registry.category("web_tour.tours").add("credit_alert_hold_tour", {
    url: "/odoo",
    steps: () => holdCustomerFromWarning(),
});
