import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("credit_collection_log_call_promise", {
    url: "/odoo/action-credit_collection.action_my_collections",
    steps: () => [
        {
            content: "Open the case of the customer at the top of my worklist",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Tour Customer')",
            run: "click",
        },
        {
            content: "Log a call",
            trigger: ".o_form_view button[name='action_log_call']",
            run: "click",
        },
        {
            trigger: ".modal div[name='contact_name'] input",
            run: "edit Li Wei",
        },
        {
            content: "The customer promises to pay",
            trigger: ".modal div[name='result'] label:contains('Promise to Pay')",
            run: "click",
        },
        {
            trigger: ".modal div[name='promise_amount'] input",
            run: "edit 1000",
        },
        {
            trigger: ".modal div[name='promise_date'] input",
            run: "edit 12/31/2026",
        },
        {
            trigger: ".modal div[name='customer_words'] textarea",
            run: "edit We pay before the year ends",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The case shows promised",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Promised')",
        },
    ],
});
