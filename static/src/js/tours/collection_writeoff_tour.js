import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

// A customer will never pay: the credit manager finds its case among the collection cases
// and writes off what it owes to the bad debt account, stating why.
registry.category("web_tour.tours").add("credit_collection_write_off", {
    url: "/odoo",
    steps: () => [
        ...openMenuItem(
            "credit_collection.menu_collections_root",
            "credit_collection.menu_collection_cases",
            "the collection cases"
        ),
        {
            content: "Open the case of the customer who went bankrupt",
            trigger: ".o_kanban_view .o_kanban_record:contains('Bankrupt Tour Customer')",
            run: "click",
        },
        {
            content: "Write off what the customer owes",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_write_off']",
            run: "click",
        },
        {
            content: "The wizard offers both open invoices",
            trigger: ".modal div[name='amount_open']:contains('1,250.00')",
        },
        {
            content: "State why",
            trigger: ".modal div[name='reason'] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Bankruptcy')",
            run: "click",
        },
        {
            content: "On the day the bankruptcy was declared",
            trigger: ".modal div[name='date'] button",
            run: "click",
        },
        {
            trigger: ".modal div[name='date'] input",
            run: "edit 06/30/2026 && press Escape",
        },
        {
            content: "Charge the bad debt account",
            trigger: ".modal div[name='account_id'] input",
            run: "edit Bad Debts",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Bad Debts')",
            run: "click",
        },
        {
            trigger: ".modal div[name='note'] textarea",
            run: "edit Liquidation declared, no dividend expected",
        },
        {
            content: "Write it off",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The case shows written off",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Written Off')",
        },
    ],
});
