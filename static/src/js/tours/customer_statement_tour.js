import { registry } from "@web/core/registry";
import { openReportingMenuItem } from "@credit_collection/js/tours/tour_steps";

// An accountant sends a customer its statement by email from the Reporting menu.
registry.category("web_tour.tours").add("credit_collection_send_statement", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenuItem("credit_collection.menu_credit_statement", "Customer Statements"),
        {
            content: "Choose the customer",
            trigger: ".modal div[name='partner_ids'] input",
            run: "edit partner_a",
        },
        {
            content: "Pick it in the list",
            trigger: ".o-autocomplete--dropdown-item:contains('partner_a')",
            run: "click",
        },
        {
            content: "The customer is selected",
            trigger: ".modal div[name='partner_ids'] .o_tag:contains('partner_a')",
        },
        {
            content: "Send the statement by email",
            trigger: ".modal button[name='action_send_email']",
            run: "click",
        },
        {
            content: "The dialog closes once the email is queued",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
