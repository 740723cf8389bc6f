import { registry } from "@web/core/registry";
import { openMenuItem } from "@credit_collection/js/tours/tour_steps";

registry.category("web_tour.tours").add("credit_collection_letter_batch_posted", {
    url: "/odoo",
    steps: () => [
        ...openMenuItem(
            "credit_collection.menu_collections_root",
            "credit_collection.menu_collection_letter_batches",
            "the dunning letters to print"
        ),
        {
            content: "Open today's batch of letters",
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Dunning letters')",
            run: "click",
        },
        {
            content: "The batch holds the letter of the overdue customer",
            trigger: ".o_form_view div[name='case_ids'] .o_data_row:contains('Acme Trading Co.')",
        },
        {
            content: "The letters are printed and posted",
            trigger: ".o_form_view button[name='action_mark_sent']",
            run: "click",
        },
        {
            content: "The batch shows sent",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sent')",
        },
    ],
});
