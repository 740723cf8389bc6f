import { registry } from "@web/core/registry";
import { requestCreditApproval } from "@credit_collection/js/tours/tour_steps";

// A salesperson (Sales / User: Own Documents only) works from the Sales app: the customer's
// credit tab shows its exposure; the quotation over the limit says so, its confirmation is
// refused and the salesperson asks for a credit approval.
registry.category("web_tour.tours").add("credit_salesperson_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu .dropdown-toggle",
            run: "click",
        },
        {
            content: "Open Sales",
            trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']",
            run: "click",
        },
        {
            content: "Open the Orders menu",
            trigger: "[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open the customers",
            trigger: "[data-menu-xmlid='sale.res_partner_menu']",
            run: "click",
        },
        {
            content: "Open the customer",
            trigger:
                ".o_kanban_record:contains(Salesperson Tour Customer), .o_data_row:contains(Salesperson Tour Customer) .o_data_cell",
            run: "click",
        },
        {
            content: "Open its Credit tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains(Credit)",
            run: "click",
        },
        {
            content: "The exposure is the open invoice",
            trigger: ".o_form_view div[name='credit_exposure']:contains(400.00)",
        },
        {
            content: "and the limit the customer's",
            trigger: ".o_form_view div[name='credit_limit_effective']:contains(500.00)",
        },
        {
            content: "Open the Orders menu",
            trigger: "[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open the quotations",
            trigger: "[data-menu-xmlid='sale.menu_sale_quotations']",
            run: "click",
        },
        {
            content: "Open the customer's quotation",
            trigger: ".o_data_row:contains(Salesperson Tour Customer) td.o_data_cell",
            run: "click",
        },
        {
            content: "The banner says the order takes the customer over its limit",
            trigger: ".o_form_view .alert-warning:contains(over the credit limit)",
        },
        {
            content: "Try to confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The credit check refuses it",
            trigger: ".o_error_dialog:contains(Salesperson Tour Customer)",
        },
        ...requestCreditApproval("Framework contract renewed, pays on the 10th"),
    ],
});
