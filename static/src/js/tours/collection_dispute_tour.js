import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

// A customer contests part of an invoice. The credit manager working the case records the
// dispute on it, which takes the case out of dunning, then settles it: "Resolve by Credit
// Note" prepares the draft credit note, which accounting posts.
registry.category("web_tour.tours").add("credit_collection_dispute_credit_note", {
    url: "/odoo",
    steps: () => [
        ...openMenuItem(
            "credit_collection.menu_collections_root",
            "credit_collection.menu_my_collections",
            "my worklist"
        ),
        {
            content: "Open the case of the customer who contests an invoice",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Dispute Tour Customer')",
            run: "click",
        },
        {
            content: "Open the Disputes tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='disputes']",
            run: "click",
        },
        {
            content: "Record a dispute",
            trigger: ".o_form_view div[name='dispute_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "On the contested invoice",
            trigger: ".modal div[name='move_id'] input",
            run: "edit INV/2026/00001",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('INV/2026/00001')",
            run: "click",
        },
        {
            content: "For the part of it the customer contests",
            trigger: ".modal div[name='amount'] input",
            run: "edit 200",
        },
        {
            content: "Because of the quality",
            trigger: ".modal div[name='reason'] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_menu .o_select_menu_item:contains('Quality')",
            run: "click",
        },
        {
            trigger: ".modal div[name='description'] textarea",
            run: "edit Two crates arrived broken",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dispute is listed on the case",
            trigger: ".o_form_view div[name='dispute_ids'] .o_data_row:contains('INV/2026/00001')",
        },
        {
            content: "Save the case",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The case shows the dispute",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('In Dispute')",
        },
        {
            content: "Open the dispute",
            trigger: ".o_form_view div[name='dispute_ids'] .o_data_row td[name='move_id']",
            run: "click",
        },
        {
            content: "Settle it by a credit note",
            trigger: ".modal button[name='action_resolve_credit_note']",
            run: "click",
        },
        {
            content: "The draft credit note is prepared for the contested amount",
            trigger: ".o_form_view div[name='tax_totals']:contains('200.00')",
        },
    ],
});
