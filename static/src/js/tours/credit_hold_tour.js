import { registry } from "@web/core/registry";
import { openApp } from "@credit_collection/js/tours/tour_steps";

// A credit manager puts a customer on credit hold from its credit file, with the reason the
// salesperson will read.
registry.category("web_tour.tours").add("credit_hold_set_tour", {
    url: "/odoo",
    steps: () => [
        // the app opens on Customers > Customers: no second click on that menu, whose reload
        // of the same list could swallow the next click
        ...openApp(),
        {
            content: "Open the customer",
            trigger: ".o_list_view .o_data_row td[name='complete_name']:contains(Acme Trading Co.)",
            run: "click",
        },
        {
            content: "Open its Credit tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='credit_collection']",
            run: "click",
        },
        {
            content: "Switch the credit hold on",
            trigger: ".o_form_view div[name='credit_hold'] input",
            run: "click",
        },
        {
            content: "The hold is on, not saved yet: no error before the reason is typed",
            trigger:
                ".o_form_view:has(div[name='credit_hold'] input:checked):not(:has(.o_field_invalid))",
        },
        {
            content: "Say why: the salesperson whose order is refused reads it",
            trigger: ".o_form_view div[name='credit_hold_reason'] input",
            run: "edit Cheque returned unpaid",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The customer's form says it is on hold",
            trigger: ".o_form_view .alert-danger:contains(Credit hold:)",
        },
    ],
});

// The salesperson tries to confirm a quotation of the held customer: refused, with the reason.
registry.category("web_tour.tours").add("credit_hold_confirm_refused_tour", {
    steps: () => [
        {
            content: "The quotation warns that its customer is on hold, and why",
            trigger: ".o_form_view .alert-danger:contains(Cheque returned unpaid)",
        },
        {
            content: "Try to confirm it all the same",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The refusal names the customer and the reason",
            trigger:
                ".o_error_dialog:contains(customer Acme Trading Co. is on credit hold (reason: Cheque returned unpaid))",
        },
        {
            content: "Close the message",
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Quotation)",
        },
    ],
});
