import { registry } from "@web/core/registry";
import { requestCreditApproval } from "@credit_collection/js/tours/tour_steps";

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
        ...requestCreditApproval("Long-standing customer, pays on Friday"),
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
