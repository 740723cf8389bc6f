import { registry } from "@web/core/registry";

// The salesperson's confirmation is refused; they ask for a credit approval.
registry.category("web_tour.tours").add("credit_approval_request_tour", {
    steps: () => [
        {
            content: "Try to confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The credit check refuses it and says why",
            trigger: ".o_error_dialog:contains(credit limit of Credit Tour Customer would be exceeded)",
        },
        {
            content: "Close the message",
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Request a credit approval",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_request_credit_approval']",
            run: "click",
        },
        {
            content: "Say why the order should go through",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Long-standing customer, pays on Friday",
        },
        {
            content: "Send the request",
            trigger: ".modal button[name='action_request']",
            run: "click",
        },
        {
            content: "The request is in the order's chatter",
            trigger: ".o-mail-Message:contains(Credit approval requested)",
        },
    ],
});

// A credit manager approves the request.
registry.category("web_tour.tours").add("credit_approval_approve_tour", {
    steps: () => [
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
    ],
});

// The salesperson confirms the approved order.
registry.category("web_tour.tours").add("credit_approval_confirm_tour", {
    steps: () => [
        {
            content: "Confirm the approved order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});
