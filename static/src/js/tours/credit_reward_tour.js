import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

// A credit manager opens the reward proposals of the monthly run (优质客户奖励), approves the
// longer terms proposed to a good payer and lands on the credit review that proposes them.
registry.category("web_tour.tours").add("credit_reward_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenuItem(
            "credit_collection.menu_credit_evaluation_root",
            "credit_collection.menu_credit_reward_proposal",
            "Reward Proposals"
        ),
        {
            content: "Open the proposal of the good payer",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains(Punctual Co)",
            run: "click",
        },
        {
            content: "It proposes longer payment terms",
            trigger: ".o_form_view div[name='kind']:contains(Longer Payment Terms)",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The credit review of the customer proposes the longer terms",
            trigger: ".o_form_view div[name='proposed_payment_term_id'] input:value(60 Days)",
        },
        {
            content: "and waits for a credit manager's approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(To Approve)",
        },
    ],
});
